import "server-only";

import type { KubeConfig } from "@kubernetes/client-node";

import { kubeGetJson, kubeWrite } from "./client";
import { KubeError } from "./kube-error";
import type { ClusterWrites, KubeMutation, MutateOptions, MutationOutcome, MutationRequest, MutationTarget } from "./mutations";
import type { RawObject } from "./watch-stream";

/**
 * The write side of one cluster: the typed mutations of mutations.ts as the HTTP requests kubectl
 * makes for them, and full-object reads for previews and diagnostics. Every request names the
 * portal as its field manager; `dryRun` sends `dryRun=All`, so the API server validates and admits
 * the change (quota, PodDisruptionBudgets, resize rules) and answers what it would store.
 */

const FIELD_MANAGER = "fleetdeck";
const DEFAULT_TIMEOUT_MS = 15_000;

const STRATEGIC = "application/strategic-merge-patch+json";
const MERGE = "application/merge-patch+json";

type Request = { signal?: AbortSignal; timeoutMs?: number };

function refuseSecrets(apiPath: string): void {
  if (/\/secrets(\/|$|\?)/.test(apiPath)) {
    throw new KubeError({ kind: "forbidden", status: 403, apiMessage: "the portal never reads Secrets", path: apiPath });
  }
}

/** The object without managedFields (noise in a diff, and nothing an operator reads). */
export function withoutManagedFields(object: RawObject): RawObject {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (!("managedFields" in metadata)) return object;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...object, metadata: rest };
}

const enc = encodeURIComponent;

function deploymentPath(namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${enc(namespace)}/deployments/${enc(name)}`;
}
function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`;
}

/** The request a mutation is (without the one GET a job-from-cronjob needs first). */
export function requestFor(mutation: Exclude<KubeMutation, { type: "create-job-from-cronjob" }>): { request: MutationRequest; target: MutationTarget } {
  const rv = mutation.resourceVersion ? { resourceVersion: mutation.resourceVersion } : {};
  // A plan names a pod's uid only once its preview read the pod; before that (the preview's own
  // dry run) there is no uid precondition: a real API server compares an empty one and refuses (409).
  const uid = "uid" in mutation && mutation.uid ? { uid: mutation.uid } : {};
  const { namespace, name } = mutation;
  switch (mutation.type) {
    case "restart-deployment":
      return {
        target: { apiVersion: "apps/v1", kind: "Deployment", namespace, name },
        request: {
          method: "PATCH",
          path: deploymentPath(namespace, name),
          contentType: STRATEGIC,
          body: { metadata: rv, spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": mutation.restartedAt } } } } },
        },
      };
    case "annotate-deployment":
      return {
        target: { apiVersion: "apps/v1", kind: "Deployment", namespace, name },
        request: {
          method: "PATCH",
          path: deploymentPath(namespace, name),
          contentType: MERGE,
          body: { metadata: { ...rv, annotations: mutation.annotations } },
        },
      };
    case "scale-deployment":
      return {
        target: { apiVersion: "apps/v1", kind: "Deployment", namespace, name },
        request: {
          method: "PATCH",
          path: `${deploymentPath(namespace, name)}/scale`,
          contentType: MERGE,
          body: { metadata: rv, spec: { replicas: mutation.replicas } },
        },
      };
    case "evict-pod":
      return {
        target: { apiVersion: "v1", kind: "Pod", namespace, name },
        request: {
          method: "POST",
          path: `${podPath(namespace, name)}/eviction`,
          body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace }, deleteOptions: { preconditions: { ...uid, ...rv } } },
        },
      };
    case "force-delete-pod":
      return {
        target: { apiVersion: "v1", kind: "Pod", namespace, name },
        request: {
          method: "DELETE",
          path: podPath(namespace, name),
          body: { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { ...uid, ...rv } },
        },
      };
    case "expand-volume":
      return {
        target: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace, name },
        request: {
          method: "PATCH",
          path: `/api/v1/namespaces/${enc(namespace)}/persistentvolumeclaims/${enc(name)}`,
          contentType: MERGE,
          body: { metadata: rv, spec: { resources: { requests: { storage: mutation.storage } } } },
        },
      };
  }
}

/**
 * The Job `kubectl create job <jobName> --from=cronjob/<cronJob>` posts: the CronJob's job
 * template, the instantiate annotation, and the CronJob as controller owner (no
 * blockOwnerDeletion, as kubectl leaves it out).
 */
export function jobFromCronJob(cronJob: RawObject, jobName: string): RawObject {
  const metadata = (cronJob.metadata ?? {}) as { name?: string; namespace?: string; uid?: string };
  const template = ((cronJob.spec as { jobTemplate?: { metadata?: Record<string, unknown>; spec?: unknown } } | undefined)?.jobTemplate ?? {}) as {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName,
      namespace: metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), "cronjob.kubernetes.io/instantiate": "manual" },
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: metadata.name, uid: metadata.uid, controller: true }],
    },
    spec: template.spec ?? {},
  };
}

/**
 * The body to send. A DELETE's DeleteOptions body replaces its query parameters on a real API
 * server, `dryRun` included: without `dryRun` in the body, a "dry run" of a pod deletion deletes
 * the pod. So a dry run says so in the body too (an Eviction's deleteOptions as well, though the
 * eviction handler also takes it from the query).
 */
export function dryRunBody(request: MutationRequest, dryRun: boolean): unknown {
  if (!dryRun) return request.body;
  const body = request.body as { kind?: string; deleteOptions?: Record<string, unknown> } & Record<string, unknown>;
  if (request.method === "DELETE") return { ...body, dryRun: ["All"] };
  if (body?.kind === "Eviction") return { ...body, deleteOptions: { ...body.deleteOptions, dryRun: ["All"] } };
  return request.body;
}

export function createClusterWrites(kubeConfig: KubeConfig): ClusterWrites {
  const get = (apiPath: string, request: Request = {}) =>
    kubeGetJson<RawObject>(kubeConfig, apiPath, { signal: request.signal, timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS }).then(withoutManagedFields);

  return {
    getObject(apiPath, request) {
      refuseSecrets(apiPath);
      return get(apiPath, request);
    },

    async listObjects(apiPath, request = {}) {
      refuseSecrets(apiPath);
      const items: RawObject[] = [];
      let token: string | undefined;
      do {
        const page = await kubeGetJson<{ kind?: string; apiVersion?: string; items?: RawObject[]; metadata?: { continue?: string } }>(kubeConfig, apiPath, {
          query: { limit: 500, continue: token },
          signal: request.signal,
          timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        });
        // List items carry no kind: a YAML dump of one should say what it is.
        const kind = page.kind?.replace(/List$/, "");
        for (const item of page.items ?? []) items.push(withoutManagedFields({ apiVersion: page.apiVersion, kind, ...item }));
        token = page.metadata?.continue || undefined;
      } while (token);
      return items;
    },

    async mutate(mutation: KubeMutation, options: MutateOptions): Promise<MutationOutcome> {
      const request: Request = { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
      const query = { fieldManager: FIELD_MANAGER, dryRun: options.dryRun ? "All" : undefined };

      if (mutation.type === "create-job-from-cronjob") {
        const cronJob = await get(`/apis/batch/v1/namespaces/${enc(mutation.namespace)}/cronjobs/${enc(mutation.cronJobName)}`, request);
        const body = jobFromCronJob(cronJob, mutation.jobName);
        const path = `/apis/batch/v1/namespaces/${enc(mutation.namespace)}/jobs`;
        const answer = await kubeWrite(kubeConfig, "POST", path, { ...request, query, body });
        return {
          request: { method: "POST", path, body },
          target: { apiVersion: "batch/v1", kind: "Job", namespace: mutation.namespace, name: mutation.jobName },
          after: withoutManagedFields(answer.body as RawObject),
          removes: false,
          status: answer.status,
        };
      }

      const { request: http, target } = requestFor(mutation);
      // The scale subresource answers a Scale; its diff is the Scale's, read the same way.
      const beforePath = mutation.type === "scale-deployment" ? http.path : http.path.replace(/\/eviction$/, "");
      const before = await get(beforePath, request);
      const answer = await kubeWrite(kubeConfig, http.method, http.path, {
        ...request,
        query,
        body: dryRunBody(http, options.dryRun),
        contentType: http.contentType,
      });
      const removes = mutation.type === "evict-pod" || mutation.type === "force-delete-pod";
      return {
        request: http,
        target,
        before,
        after: removes ? undefined : withoutManagedFields(answer.body as RawObject),
        removes,
        status: answer.status,
      };
    },
  };
}

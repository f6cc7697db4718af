import "server-only";

import type { RawObject } from "./watch-stream";

/**
 * The small, typed set of changes the portal ever makes to a cluster. A runbook's plan is a list
 * of these (plain data: it is hashed, stored in the run row and shown in the preview), and only
 * `ClusterWrites.mutate` turns one into an HTTP request. Adding a verb the portal may use means
 * adding a member here, its request in server/kube, and its rule in rbac.yaml.
 *
 * `resourceVersion`, where given, is the version the preview saw: the API server itself refuses
 * the change with 409 Conflict when the object moved on since (optimistic concurrency), so a
 * confirmed plan is never applied to an object the operator did not preview.
 */
export type KubeMutation =
  /** `kubectl rollout restart`: strategic-merge patch of spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]. */
  | { type: "restart-deployment"; namespace: string; name: string; restartedAt: string; resourceVersion?: string }
  /** Merge patch of metadata.annotations (a null value removes the key), e.g. the replica count a stop remembers. */
  | { type: "annotate-deployment"; namespace: string; name: string; annotations: Record<string, string | null>; resourceVersion?: string }
  /** `kubectl scale`: merge patch of the deployments/{name}/scale subresource's spec.replicas. */
  | { type: "scale-deployment"; namespace: string; name: string; replicas: number; resourceVersion?: string }
  /** POST pods/{name}/eviction (policy/v1 Eviction) with deleteOptions.preconditions.uid, so PodDisruptionBudgets hold. */
  | { type: "evict-pod"; namespace: string; name: string; uid: string; resourceVersion?: string }
  /** DELETE the pod with gracePeriodSeconds 0 and preconditions.uid: a newer pod of the same name is never hit. */
  | { type: "force-delete-pod"; namespace: string; name: string; uid: string; resourceVersion?: string }
  /** Merge patch of spec.resources.requests.storage to a larger quantity. */
  | { type: "expand-volume"; namespace: string; name: string; storage: string; resourceVersion?: string }
  /**
   * `kubectl create job --from=cronjob/<cronJobName>`: GET the CronJob, then POST a Job built from
   * its jobTemplate, annotated cronjob.kubernetes.io/instantiate: manual, with a controller
   * ownerReference to the CronJob (no blockOwnerDeletion).
   */
  | { type: "create-job-from-cronjob"; namespace: string; cronJobName: string; jobName: string };

export type KubeMutationType = KubeMutation["type"];

/** The HTTP request a mutation is, for the preview and the run's step log. */
export interface MutationRequest {
  method: "PATCH" | "POST" | "DELETE";
  /** API path without the query, e.g. /apis/apps/v1/namespaces/t-acme/deployments/odoo/scale. */
  path: string;
  /** Content-Type of the body for PATCH, e.g. application/strategic-merge-patch+json. */
  contentType?: string;
  body: unknown;
}

/** The object a mutation changes, as the preview's diff and the drift check name it. */
export interface MutationTarget {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** What the API server answered to one mutation (a dry run or the real one). */
export interface MutationOutcome {
  request: MutationRequest;
  target: MutationTarget;
  /**
   * The whole object before the change, as GET returned it (managedFields removed); undefined for
   * a create. Its metadata.resourceVersion is what a confirmation must still find.
   */
  before?: RawObject;
  /**
   * The whole object as the API server says it is (or, with dryRun, would be) after the change,
   * managedFields removed; undefined when the object goes away (eviction, deletion).
   */
  after?: RawObject;
  /** The change removes the object (eviction, deletion), possibly gracefully. */
  removes: boolean;
  /** HTTP status of the mutating request. */
  status: number;
}

export interface MutateOptions {
  /** true: `dryRun=All`, the API server validates, admits and answers but persists nothing. */
  dryRun: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * The write side of one cluster (implemented by ClusterCache next to its reads). Every method
 * fails with a KubeError carrying the HTTP status and the API's own Status message (409 Conflict
 * for a stale resourceVersion, 429 for an eviction a PodDisruptionBudget refuses, 403/422 for
 * admission refusals). Requests carry `fieldManager=fleetdeck`.
 */
export interface ClusterWrites {
  mutate(mutation: KubeMutation, options: MutateOptions): Promise<MutationOutcome>;
  /**
   * GET one object in full (managedFields removed), for previews and diagnostics. Refuses
   * Secrets. `apiPath` is the object's path, e.g. /api/v1/namespaces/t-acme/pods/odoo-x.
   */
  getObject(apiPath: string, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<RawObject>;
  /**
   * GET a list in one namespace in full (items with managedFields removed), for the diagnostics
   * archive only. `apiPath` is the collection path, e.g. /apis/apps/v1/namespaces/t-acme/deployments.
   * Refuses Secrets.
   */
  listObjects(apiPath: string, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<RawObject[]>;
}

// Object shapes controllers create: ReplicaSets for Deployments, Pods for ReplicaSets, Jobs and
// StatefulSets. The fleet generator uses the same builders so startup objects match live ones.
import type { IPodTemplateSpec, IToleration } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import { ownerRef, templateHash } from "./kube-util";

const DEFAULT_TOLERATIONS: IToleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

export function deploymentTemplateHash(deployment: KubeObject): string {
  return templateHash(deployment.spec.template);
}

export function replicaSetFor(deployment: KubeObject, hash: string, replicas: number, revision: number, createdAt?: string): KubeObject {
  const template = structuredClone(deployment.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), "pod-template-hash": hash } };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      ...(createdAt ? { creationTimestamp: createdAt } : {}),
      labels: { ...(deployment.spec.template.metadata?.labels ?? {}), "pod-template-hash": hash },
      annotations: {
        "deployment.kubernetes.io/desired-replicas": String(deployment.spec.replicas ?? 1),
        "deployment.kubernetes.io/max-replicas": String((deployment.spec.replicas ?? 1) + 1),
        "deployment.kubernetes.io/revision": String(revision),
      },
      ownerReferences: [ownerRef(deployment)],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...(deployment.spec.selector?.matchLabels ?? {}), "pod-template-hash": hash } },
      template,
    },
    status: { replicas: 0, observedGeneration: 1 },
  };
}

/** A pod from an owner's template (ReplicaSet, Job, StatefulSet), as the owning controller makes it. */
export function podFor(
  owner: KubeObject,
  template: IPodTemplateSpec,
  name: string,
  extra: { labels?: Record<string, string>; createdAt?: string; hostname?: string } = {},
): KubeObject {
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.tolerations = [...(spec.tolerations ?? []), ...DEFAULT_TOLERATIONS];
  spec.serviceAccountName ??= "default";
  spec.serviceAccount = spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.priority ??= 0;
  spec.restartPolicy ??= "Always";
  spec.schedulerName ??= "default-scheduler";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  if (extra.hostname) {
    spec.hostname = extra.hostname;
    spec.subdomain = owner.spec?.serviceName;
  }
  // The service account token volume every pod gets from admission.
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: `kube-api-access-${name.slice(-5)}`,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
      },
    },
  ];
  spec.containers = (spec.containers ?? []).map((c) => ({
    ...c,
    volumeMounts: [
      ...(c.volumeMounts ?? []),
      { name: `kube-api-access-${name.slice(-5)}`, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
    ],
  }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      ...(owner.kind === "ReplicaSet" ? { generateName: `${owner.metadata.name}-` } : {}),
      namespace: owner.metadata.namespace,
      ...(extra.createdAt ? { creationTimestamp: extra.createdAt } : {}),
      labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec,
    status: { phase: "Pending", qosClass: undefined },
  };
}

export function jobFor(cronJob: KubeObject, scheduledMs: number, createdAt?: string): KubeObject {
  const jt = cronJob.spec.jobTemplate;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: `${cronJob.metadata.name}-${Math.floor(scheduledMs / 60_000)}`,
      namespace: cronJob.metadata.namespace,
      ...(createdAt ? { creationTimestamp: createdAt } : {}),
      labels: { ...(jt.metadata?.labels ?? {}) },
      annotations: { "batch.kubernetes.io/cronjob-scheduled-timestamp": new Date(scheduledMs).toISOString().replace(/\.\d{3}Z$/, "Z") },
      ownerReferences: [ownerRef(cronJob)],
    },
    spec: structuredClone(jt.spec),
    status: {},
  };
}

/** Job controller defaults and selector (the API server fills these on create). */
export function withJobDefaults(job: KubeObject): KubeObject {
  const uid = job.metadata.uid!;
  const labels = {
    "batch.kubernetes.io/controller-uid": uid,
    "batch.kubernetes.io/job-name": job.metadata.name,
    "controller-uid": uid,
    "job-name": job.metadata.name,
  };
  job.spec.completions ??= 1;
  job.spec.parallelism ??= 1;
  job.spec.backoffLimit ??= 6;
  job.spec.completionMode ??= "NonIndexed";
  job.spec.suspend ??= false;
  job.spec.manualSelector ??= false;
  job.spec.podReplacementPolicy ??= "TerminatingOrFailed";
  job.spec.selector ??= { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
  job.spec.template.metadata = { ...(job.spec.template.metadata ?? {}), labels: { ...(job.spec.template.metadata?.labels ?? {}), ...labels } };
  job.metadata.labels = { ...(job.metadata.labels ?? {}), ...labels };
  return job;
}

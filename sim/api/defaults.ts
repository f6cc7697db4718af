import type { KubeObject } from "../store/types";

let nextClusterIp = 1;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.securityContext ??= {};
  for (const c of [...arrayOf(spec.containers), ...arrayOf(spec.initContainers)]) {
    if (!isObject(c)) continue;
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    const tag = typeof c.image === "string" ? c.image.split("/").pop()!.split(":")[1] : undefined;
    c.imagePullPolicy ??= !tag || tag === "latest" ? "Always" : "IfNotPresent";
    c.resources ??= {};
  }
}

/** The defaulting the apiserver does on create, for fields clients read back. */
export function applyCreateDefaults(key: string, obj: KubeObject): void {
  // Shapes are validated afterwards; defaulting only fills what is there in the expected form.
  if (obj.spec !== undefined && !isObject(obj.spec)) return;
  switch (key) {
    case "core/namespaces":
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata.name };
      obj.spec = { finalizers: ["kubernetes"] };
      obj.status = { phase: "Active" };
      break;
    case "core/pods":
      defaultPodSpec(obj.spec);
      obj.spec.serviceAccountName ??= "default";
      obj.spec.enableServiceLinks ??= true;
      obj.status = { phase: "Pending", qosClass: "BestEffort" };
      break;
    case "apps/deployments":
      obj.spec.replicas ??= 1;
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
      obj.spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
      if (isObject(obj.spec.template)) defaultPodSpec(obj.spec.template.spec);
      delete obj.status;
      break;
    case "apps/replicasets":
    case "apps/statefulsets":
      obj.spec.replicas ??= 1;
      if (isObject(obj.spec.template)) defaultPodSpec(obj.spec.template.spec);
      delete obj.status;
      break;
    case "batch/jobs":
      obj.spec.backoffLimit ??= 6;
      obj.spec.completions ??= 1;
      obj.spec.parallelism ??= 1;
      if (isObject(obj.spec.template)) defaultPodSpec(obj.spec.template.spec);
      delete obj.status;
      break;
    case "batch/cronjobs":
      obj.spec.concurrencyPolicy ??= "Allow";
      obj.spec.suspend ??= false;
      obj.spec.successfulJobsHistoryLimit ??= 3;
      obj.spec.failedJobsHistoryLimit ??= 1;
      delete obj.status;
      break;
    case "core/services":
      obj.spec.type ??= "ClusterIP";
      obj.spec.sessionAffinity ??= "None";
      if (!obj.spec.clusterIP && obj.spec.type !== "ExternalName") {
        const n = nextClusterIp++;
        obj.spec.clusterIP = `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
        obj.spec.clusterIPs = [obj.spec.clusterIP];
      }
      for (const p of arrayOf(obj.spec.ports)) {
        if (!isObject(p)) continue;
        p.protocol ??= "TCP";
        p.targetPort ??= p.port;
      }
      obj.status = { loadBalancer: {} };
      break;
    case "core/persistentvolumeclaims":
      obj.spec.volumeMode ??= "Filesystem";
      obj.status = { phase: "Pending" };
      break;
    case "policy/poddisruptionbudgets":
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    case "core/events":
      obj.count ??= 1;
      break;
  }
}

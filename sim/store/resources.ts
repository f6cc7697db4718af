import type { ResourceType } from "./types";

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resource(group: string, version: string, plural: string, kind: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType {
  return { group, version, plural, kind, namespaced, verbs: ALL_VERBS, ...extra };
}

/** Every resource the simulator stores and serves, in discovery order. */
export const RESOURCES: ResourceType[] = [
  resource("", "v1", "namespaces", "Namespace", false, {
    shortNames: ["ns"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: ["status"],
  }),
  resource("", "v1", "pods", "Pod", true, {
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "proxy", "eviction"],
  }),
  resource("", "v1", "services", "Service", true, {
    shortNames: ["svc"],
    categories: ["all"],
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    subresources: ["status", "proxy"],
  }),
  resource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, {
    shortNames: ["pvc"],
    subresources: ["status"],
  }),
  resource("", "v1", "persistentvolumes", "PersistentVolume", false, {
    shortNames: ["pv"],
    subresources: ["status"],
  }),
  resource("", "v1", "events", "Event", true, { shortNames: ["ev"] }),
  resource("", "v1", "nodes", "Node", false, { shortNames: ["no"], subresources: ["status", "proxy"] }),
  resource("", "v1", "resourcequotas", "ResourceQuota", true, { shortNames: ["quota"], subresources: ["status"] }),
  resource("", "v1", "configmaps", "ConfigMap", true, { shortNames: ["cm"] }),
  resource("", "v1", "serviceaccounts", "ServiceAccount", true, { shortNames: ["sa"], subresources: ["token"] }),
  resource("apps", "v1", "deployments", "Deployment", true, {
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  resource("apps", "v1", "replicasets", "ReplicaSet", true, {
    shortNames: ["rs"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  resource("apps", "v1", "statefulsets", "StatefulSet", true, {
    shortNames: ["sts"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  resource("batch", "v1", "jobs", "Job", true, { categories: ["all"], subresources: ["status"] }),
  resource("batch", "v1", "cronjobs", "CronJob", true, {
    shortNames: ["cj"],
    categories: ["all"],
    subresources: ["status"],
  }),
  resource("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, { shortNames: ["pdb"], subresources: ["status"] }),
  resource("networking.k8s.io", "v1", "ingresses", "Ingress", true, { shortNames: ["ing"], subresources: ["status"] }),
  resource("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, { shortNames: ["sc"] }),
  resource("coordination.k8s.io", "v1", "leases", "Lease", true),
  resource("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
  resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
  resource("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
  resource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
];

for (const r of RESOURCES) r.singular ??= r.kind.toLowerCase();

const byKey = new Map<string, ResourceType>(RESOURCES.map((r) => [keyOf(r), r]));

export function keyOf(r: Pick<ResourceType, "group" | "plural">): string {
  return `${r.group || "core"}/${r.plural}`;
}

export function resourceByKey(key: string): ResourceType | undefined {
  return byKey.get(key);
}

export function apiVersionOf(r: Pick<ResourceType, "group" | "version">): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The resource a "<group>/<version>" + plural path names, if served. */
export function resourceFor(group: string, version: string, plural: string): ResourceType | undefined {
  const r = byKey.get(`${group || "core"}/${plural}`);
  return r && r.version === version ? r : undefined;
}

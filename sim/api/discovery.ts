import { RESOURCES } from "../store/resources";
import type { ResourceType } from "../store/types";

export const METRICS_GROUP = "metrics.k8s.io";
export const METRICS_VERSION = "v1beta1";

export const VERSION_INFO = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-fleetdeck-sim",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.4",
  compiler: "gc",
  platform: "linux/amd64",
};

const SUBRESOURCE_KIND: Record<string, (r: ResourceType) => { kind: string; group?: string; version?: string; verbs: string[] }> = {
  status: (r) => ({ kind: r.kind, verbs: ["get", "patch", "update"] }),
  scale: () => ({ kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] }),
  log: () => ({ kind: "Pod", verbs: ["get"] }),
  eviction: () => ({ kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] }),
  token: () => ({ kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"] }),
  proxy: (r) => ({ kind: `${r.kind}ProxyOptions`, verbs: ["create", "delete", "get", "patch", "update"] }),
};

function groupVersions(): Map<string, ResourceType[]> {
  const m = new Map<string, ResourceType[]>();
  for (const r of RESOURCES) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    if (!m.has(gv)) m.set(gv, []);
    m.get(gv)!.push(r);
  }
  return m;
}

const GROUP_VERSIONS = groupVersions();

export function apiVersions(serverAddress: string): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

export function apiGroupList(): unknown {
  const groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { groupVersion: string; version: string } }[] = [];
  for (const gv of GROUP_VERSIONS.keys()) {
    if (!gv.includes("/")) continue;
    const [name, version] = gv.split("/") as [string, string];
    const v = { groupVersion: gv, version };
    groups.push({ name, versions: [v], preferredVersion: v });
  }
  const mv = { groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, version: METRICS_VERSION };
  groups.push({ name: METRICS_GROUP, versions: [mv], preferredVersion: mv });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(group: string): unknown | undefined {
  const gvs = [...GROUP_VERSIONS.keys()].filter((gv) => gv.startsWith(`${group}/`));
  if (group === METRICS_GROUP) gvs.push(`${METRICS_GROUP}/${METRICS_VERSION}`);
  if (gvs.length === 0) return undefined;
  const versions = gvs.map((gv) => ({ groupVersion: gv, version: gv.split("/")[1]! }));
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions, preferredVersion: versions[0] };
}

/** APIResourceList for "v1" or "<group>/<version>", or undefined when not served. */
export function apiResourceList(groupVersion: string): unknown | undefined {
  if (groupVersion === `${METRICS_GROUP}/${METRICS_VERSION}`) {
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion,
      resources: [
        { name: "nodes", singularName: "", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"] },
        { name: "pods", singularName: "", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"] },
      ],
    };
  }
  const rs = GROUP_VERSIONS.get(groupVersion);
  if (!rs) return undefined;
  const resources: unknown[] = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular ?? r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames) entry.shortNames = r.shortNames;
    if (r.categories) entry.categories = r.categories;
    resources.push(entry);
    for (const sub of r.subresources ?? []) {
      const info = SUBRESOURCE_KIND[sub]!(r);
      const e: Record<string, unknown> = { name: `${r.plural}/${sub}`, singularName: "", namespaced: r.namespaced, kind: info.kind, verbs: info.verbs };
      if (info.group) {
        e.group = info.group;
        e.version = info.version;
      }
      resources.push(e);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

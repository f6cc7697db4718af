import "server-only";

// Read-only, like all of collect-diagnostics: it sends no mutation, so there is no dry-run preview to make
// (the runbook engine previews every mutating runbook; this one is a download, see server/runbooks/index.ts).

import { setMaxListeners } from "node:events";

import { KubeError, toKubeError } from "@/server/kube/kube-error";
import type { ClusterWrites } from "@/server/kube/mutations";
import type { RawObject } from "@/server/kube/watch-stream";

/**
 * The kinds a diagnostics archive holds, by the resource name its API path ends in, in the order
 * the archive lists them. Secrets are not among them and never will be: the archive leaves a
 * portal operator's hands, and cluster-writes refuses a Secrets path anyway.
 */
const DIAGNOSTIC_KINDS = [
  { resource: "deployments", group: "apps/v1" },
  { resource: "replicasets", group: "apps/v1" },
  { resource: "pods", group: "" },
  { resource: "services", group: "" },
  { resource: "ingresses", group: "networking.k8s.io/v1" },
  { resource: "persistentvolumeclaims", group: "" },
  { resource: "configmaps", group: "" },
  { resource: "cronjobs", group: "batch/v1" },
  { resource: "jobs", group: "batch/v1" },
  { resource: "resourcequotas", group: "" },
  { resource: "poddisruptionbudgets", group: "policy/v1" },
  { resource: "events", group: "" },
] as const;

export type DiagnosticKind = (typeof DIAGNOSTIC_KINDS)[number]["resource"];

function collectionPath(kind: (typeof DIAGNOSTIC_KINDS)[number], namespace: string): string {
  const root = kind.group ? `/apis/${kind.group}` : "/api/v1";
  return `${root}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`;
}

/** A kind the archive holds no objects of, and why: the README's "left out" list. */
export interface SkippedKind {
  kind: DiagnosticKind;
  /** "not-served": the API has no such resource (404); "forbidden": RBAC (403); "error": anything else. */
  why: "not-served" | "forbidden" | "error";
  message: string;
}

export interface NamespaceObjects {
  namespace: string;
  objects: Map<DiagnosticKind, RawObject[]>;
  skipped: SkippedKind[];
}

/**
 * Failures that say the cluster cannot be read at all right now: the archive would be all
 * errors, so the whole collection fails (the route answers 503) instead of one kind being noted.
 */
const CLUSTER_DOWN: ReadonlySet<KubeError["kind"]> = new Set(["unreachable", "timeout", "unavailable", "unauthorized", "throttled"]);

export function isClusterDown(error: unknown): error is KubeError {
  return error instanceof KubeError && CLUSTER_DOWN.has(error.kind);
}

/**
 * Lists every diagnostic kind in the namespace (in parallel: a dozen small lists). A kind the
 * cluster does not serve or the portal may not read is skipped with a note; a cluster that
 * cannot be reached rejects with its KubeError.
 */
export async function listNamespaceObjects(
  source: Pick<ClusterWrites, "listObjects">,
  namespace: string,
  request: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<NamespaceObjects> {
  // One signal for the dozen requests, so the caller's signal gets one listener, not twelve.
  const lists = new AbortController();
  setMaxListeners(DIAGNOSTIC_KINDS.length * 2, lists.signal);
  const forward = () => lists.abort(request.signal?.reason);
  request.signal?.addEventListener("abort", forward, { once: true });
  const results = await Promise.allSettled(
    DIAGNOSTIC_KINDS.map((kind) => source.listObjects(collectionPath(kind, namespace), { signal: lists.signal, timeoutMs: request.timeoutMs })),
  ).finally(() => request.signal?.removeEventListener("abort", forward));
  const down = results.find((result): result is PromiseRejectedResult => result.status === "rejected" && isClusterDown(result.reason));
  if (down) throw down.reason;

  const objects = new Map<DiagnosticKind, RawObject[]>();
  const skipped: SkippedKind[] = [];
  results.forEach((result, index) => {
    const kind = DIAGNOSTIC_KINDS[index].resource;
    if (result.status === "fulfilled") {
      objects.set(
        kind,
        [...result.value].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "")),
      );
      return;
    }
    const error = toKubeError(result.reason);
    const why = error.kind === "not-found" ? "not-served" : error.kind === "forbidden" ? "forbidden" : "error";
    skipped.push({ kind, why, message: error.apiMessage ?? error.message });
  });
  return { namespace, objects, skipped };
}

import "server-only";

import type { LogSource } from "@/lib/logs/log-request";
import type { SessionUser } from "@/server/auth/session";
import { recordAuditEvent } from "@/server/audit/audit-log";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import type { ClusterSource } from "@/server/kube/cluster-source";
import type { ClusterSources } from "@/server/kube/cluster-sources";
import type { PodObject } from "@/server/kube/kinds/pod";
import { getTenantDetail } from "@/server/tenants/tenant-service";
import type { TenantDirectory } from "@/server/tenants/tenant-view";
import type { LogHub } from "./log-hub";
import type { LogSelection, LogViewOptions, SelectedContainer, TrackedLogEvent } from "./log-view-session";
import { hasPreviousLog, podLogTargets } from "./log-targets";
import type { LogTarget } from "@/lib/logs/types";

/**
 * Entry points of the log viewer for the tRPC router and the download route: which containers a
 * request means (from the tenant's cluster source, never a list call), the audit record of every
 * access, and the hub that holds the upstream streams.
 */

/** What the log viewer works with; server/runtime.ts provides the process's own. */
export interface LogServices {
  /** Where every access is recorded. */
  db: PrismaClient;
  /** The registry says whether a tenant exists. */
  tenants: TenantDirectory;
  /** The tenant's cluster says which pods it has now. */
  clusters: ClusterSources;
  /** The hub holding one cluster's upstream streams. */
  logHub(cluster: ClusterSource): LogHub;
}

type LogRequest = LogSource;

interface TenantLogScope {
  databaseName: string;
  cluster: ClusterSource;
  pods: () => PodObject[];
}

/** The registry says the tenant exists (NOT_FOUND otherwise); its cluster says which pods it has now. */
async function tenantScope(services: Pick<LogServices, "tenants" | "clusters">, tenantId: string): Promise<TenantLogScope> {
  const detail = await getTenantDetail(services.tenants, tenantId);
  const cluster = services.clusters.forTenant(detail);
  return { databaseName: detail.databaseName, cluster, pods: () => cluster.listForTenant("pods", detail.id) };
}

export async function listLogTargets(services: Pick<LogServices, "tenants" | "clusters">, tenantId: string): Promise<LogTarget[]> {
  const scope = await tenantScope(services, tenantId);
  return podLogTargets(scope.pods());
}

function containersOf(pod: PodObject, only?: string): SelectedContainer[] {
  const statuses = new Map([...pod.status.initContainerStatuses, ...pod.status.containerStatuses].map((s) => [s.name, s]));
  const finished = pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
  return [...pod.spec.initContainers, ...pod.spec.containers]
    .filter((c) => only === undefined || c.name === only)
    .map((c) => ({
      ref: { namespace: pod.metadata.namespace ?? "", pod: pod.metadata.name, container: c.name },
      hasPrevious: hasPreviousLog(statuses.get(c.name)),
      finished,
    }));
}

/** The containers a request names, or the plain sentence that ends the stream instead. */
function selectionFor(scope: TenantLogScope, tenantId: string, request: LogRequest): LogSelection | { ended: string } {
  if (request.pod) {
    const pod = scope.pods().find((p) => p.metadata.name === request.pod);
    if (!pod) return { ended: `Pod ${request.pod} does not exist in this tenant (any more).` };
    const containers = containersOf(pod, request.container);
    if (request.container && containers.length === 0) return { ended: `Pod ${request.pod} has no container "${request.container}".` };
    return { single: Boolean(request.container), containers: () => containers };
  }
  return {
    single: false,
    containers: () => scope.pods().flatMap((pod) => containersOf(pod)),
    onChange: (listener) =>
      scope.cluster.onChange((change) => {
        if (change.kind === "pods" && (change.tenantId === tenantId || change.name === "*")) listener();
      }),
  };
}

export interface OpenedLogStream {
  databaseName: string;
  events: AsyncGenerator<TrackedLogEvent>;
}

/**
 * Records the access, then opens the view. A tenant unknown to the registry is NOT_FOUND; a pod or
 * container that does not exist gives a stream that ends at once with a sentence saying so.
 */
export async function openLogStream(
  services: LogServices,
  actor: Pick<SessionUser, "id" | "email">,
  request: LogRequest & { follow: boolean; lastEventId?: string | null },
  via: "stream" | "download",
  signal: AbortSignal,
): Promise<OpenedLogStream> {
  const scope = await tenantScope(services, request.tenantId);
  const options: LogViewOptions = {
    follow: request.follow,
    previous: request.previous,
    tailLines: request.tailLines,
    sinceSeconds: request.sinceSeconds,
    sinceTime: request.sinceTime,
    lastEventId: request.lastEventId,
  };
  await recordAuditEvent(services.db, {
    actor: { user: actor },
    action: "logs.read",
    targetKind: "tenant",
    targetId: request.tenantId,
    details: {
      via,
      databaseName: scope.databaseName,
      pod: request.pod ?? null,
      container: request.container ?? null,
      options: {
        follow: request.follow,
        previous: request.previous ?? false,
        tailLines: request.tailLines,
        sinceSeconds: request.sinceSeconds,
        sinceTime: request.sinceTime,
      },
      resumed: Boolean(request.lastEventId),
    },
  });
  const selection = selectionFor(scope, request.tenantId, request);
  if ("ended" in selection) {
    const message = selection.ended;
    return {
      databaseName: scope.databaseName,
      events: (async function* () {
        yield { id: request.lastEventId || "start", event: { type: "status", state: "ended", message } } satisfies TrackedLogEvent;
      })(),
    };
  }
  return { databaseName: scope.databaseName, events: services.logHub(scope.cluster).open(selection, options, signal) };
}

/** For callers that must refuse before streaming (the download route answers 404 with a sentence). */
export function isNotFound(error: unknown): error is AppError {
  return error instanceof AppError && error.code === "NOT_FOUND";
}

"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { DocumentTitle } from "@/components/layout/document-title";
import { tenantPageTitle } from "@/components/layout/page-title";
import type { LiveStatus } from "@/components/live/live-connection";
import { LiveDataAge } from "@/components/live/live-data-age";
import { useLiveSubscription } from "@/components/live/use-live-connection";
import { RowActionsMenu, TenantActionsMenu } from "@/components/runbooks/actions-menu";
import { TenantRunbooksProvider } from "@/components/runbooks/tenant-runbooks";
import { TenantRuns } from "@/components/runbooks/tenant-runs";
import type { RunbookViewer } from "@/components/runbooks/viewer";
import { useTRPC } from "@/components/trpc/client";
import { ErrorPanel, errorCodeOf, QueryErrorBoundary } from "../query-error-boundary";
import { DeploymentCard } from "./deployment-card";
import { EventsTable } from "./events-table";
import { NetworkingCard } from "./networking-card";
import { PodsTable } from "./pods-table";
import { ProblemsList } from "./problems-list";
import { PvcsTable } from "./pvcs-table";
import { TenantHeader } from "./tenant-header";
import { TenantNotFound } from "./tenant-not-found";

/**
 * `canReadLogs` only hides the Logs links and `viewer`'s role the Actions menus; the procedures
 * check the permissions themselves.
 */
export function TenantDetail({ id, canReadLogs = false, viewer }: { id: string; canReadLogs?: boolean; viewer?: RunbookViewer }) {
  return (
    <QueryErrorBoundary fallback={({ error, retry }) => (isMissingTenant(error) ? <TenantNotFound id={id} /> : <ErrorPanel error={error} retry={retry} />)}>
      <TenantRunbooksProvider tenantId={id} viewer={viewer}>
        <TenantDetailLive id={id} canReadLogs={canReadLogs} />
      </TenantRunbooksProvider>
    </QueryErrorBoundary>
  );
}

function TenantDetailLive({ id, canReadLogs }: { id: string; canReadLogs: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenantQuery = trpc.tenants.get.queryOptions({ id });
  const { data: tenant } = useSuspenseQuery(tenantQuery);
  const live = useSubscription(
    trpc.tenants.onChange.subscriptionOptions(
      { id },
      {
        // The server pushes the whole new view; writing it into the cache re-renders without a fetch.
        onData: (change) => queryClient.setQueryData(tenantQuery.queryKey, change.data),
      },
    ),
  );
  // Every (re)connection starts with the tenant's current view, so nothing is read again on resume.
  const connection = useLiveSubscription(live);

  return (
    <div className="space-y-4">
      <DocumentTitle title={tenantPageTitle(tenant)} />
      <TenantHeader tenant={tenant} canReadLogs={canReadLogs} actions={<TenantActionsMenu />} />
      <TenantLiveStatus connection={connection} />
      <ProblemsList problems={tenant.problems} />
      <div className="grid gap-4 lg:grid-cols-2">
        <DeploymentCard deployment={tenant.deployment} />
        <NetworkingCard tenant={tenant} />
      </div>
      <PodsTable
        pods={tenant.pods}
        namespace={tenant.namespace}
        logsHref={canReadLogs ? `/tenants/${tenant.id}/logs` : undefined}
        rowActions={(pod) => <RowActionsMenu scope="pod" target={pod.name} />}
      />
      <PvcsTable
        pvcs={tenant.pvcs}
        rowActions={(pvc) => (
          <RowActionsMenu scope="volume" target={pvc.name} hint={pvc.capacity || pvc.requested ? `Now ${pvc.capacity ?? pvc.requested}.` : undefined} />
        )}
      />
      <TenantRuns tenantId={tenant.id} />
      <EventsTable events={tenant.events} />
    </div>
  );
}

function TenantLiveStatus({ connection }: { connection: LiveStatus }) {
  return (
    <p
      role="status"
      data-testid="tenant-live-status"
      data-state={connection.state}
      className={connection.state === "reconnecting" ? "text-xs font-medium text-amber-800" : "text-xs text-slate-500"}
    >
      {connection.state === "reconnecting" ? (
        <>
          Reconnecting… {connection.offline ? "This browser is offline. " : ""}Showing the last known state, <LiveDataAge since={connection.since} />.
        </>
      ) : connection.state === "live" ? (
        "Live: this page follows the cluster."
      ) : (
        "Connecting to live updates…"
      )}
    </p>
  );
}

/** An id that is not a UUID (BAD_REQUEST) cannot name a tenant either: same message as an unknown one. */
function isMissingTenant(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === "NOT_FOUND" || code === "BAD_REQUEST";
}

import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { logsPageTitle } from "@/components/layout/page-title";
import { LogViewer } from "@/components/logs/log-viewer";
import { LogsAccessDenied } from "@/components/logs/logs-access-denied";
import { parseLogViewParams } from "@/components/logs/parse-log-view-params";
import { TenantNotFound } from "@/components/tenants/detail/tenant-not-found";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, serverCaller, trpc } from "@/server/trpc/server";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  if (!session || !can(session.user.role, "logs:read")) return { title: logsPageTitle(undefined) };
  try {
    return { title: logsPageTitle(await (await serverCaller()).tenants.get({ id })) };
  } catch {
    return { title: logsPageTitle(undefined) };
  }
}

export default async function TenantLogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, raw, session] = await Promise.all([params, searchParams, getServerAuthSession()]);
  // The procedures refuse the role anyway; this tells the user why instead of a failing viewer.
  if (!session || !can(session.user.role, "logs:read")) return <LogsAccessDenied tenantId={id} />;
  let tenant;
  try {
    tenant = await (await serverCaller()).tenants.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return <TenantNotFound id={id} />;
    throw error;
  }
  prefetch(trpc.logs.targets.queryOptions({ tenantId: id }));
  const { params: view, notices } = parseLogViewParams(raw);
  return (
    <HydrateClient>
      <LogViewer
        // A link to other options (another pod's "Logs") starts a fresh viewer rather than keeping this one's state.
        key={JSON.stringify(view)}
        tenant={{ id: tenant.id, name: tenant.name, databaseName: tenant.databaseName }}
        initialParams={view}
        notices={notices}
      />
    </HydrateClient>
  );
}

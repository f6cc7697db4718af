import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { pageTitle } from "@/components/layout/page-title";
import { RunNotFound } from "@/components/runbooks/run-not-found";
import { RunView } from "@/components/runbooks/run-view";
import { RunViewSkeleton } from "@/components/runbooks/skeletons";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/server";

/** "Restart a pod · odoo-brightpath-logistics-a7bc3459 · Run · Fleetdeck": which run, on which tenant. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  if (!session || !can(session.user.role, "runbook:read")) return { title: pageTitle("Run") };
  try {
    const run = await getQueryClient().fetchQuery({ ...trpc.runbooks.run.queryOptions({ runId: id }), retry: false });
    return { title: pageTitle(run.title, run.tenantName, "Run") };
  } catch {
    return { title: pageTitle("Run") };
  }
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  if (!session || !can(session.user.role, "runbook:read")) return <AccessDenied what="runbook runs" />;
  // Awaited, as on the tenant page: an unknown id renders its message rather than a redacted error.
  try {
    await getQueryClient().fetchQuery({ ...trpc.runbooks.run.queryOptions({ runId: id }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return <RunNotFound id={id} />;
    // Anything else is left for the client to fetch and explain (the error boundary shows its message).
  }
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<RunViewSkeleton />}>
          <RunView runId={id} viewer={{ email: session.user.email, role: session.user.role }} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

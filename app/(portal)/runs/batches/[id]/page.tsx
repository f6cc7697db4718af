import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { BatchView } from "@/components/runbooks/batches/batch-view";
import { RunNotFound } from "@/components/runbooks/run-not-found";
import { RunViewSkeleton } from "@/components/runbooks/skeletons";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Run over a selection · Fleetdeck" };

export default async function RunbookBatchPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  if (!session || !can(session.user.role, "runbook:read")) return <AccessDenied what="runbook runs" />;
  try {
    await getQueryClient().fetchQuery({ ...trpc.runbooks.batches.get.queryOptions({ batchId: id }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return <RunNotFound id={id} what="run over a selection" />;
  }
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<RunViewSkeleton />}>
          <BatchView batchId={id} viewer={{ email: session.user.email, role: session.user.role }} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

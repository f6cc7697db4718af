import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { WaveBoard } from "@/components/migration/waves/wave-board";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { Alert } from "@/components/ui/alert";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/server";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "migration:read")) return { title: "Wave · Fleetdeck" };
  try {
    const wave = await getQueryClient().fetchQuery({ ...trpc.migration.waves.board.queryOptions({ waveId: id }), retry: false });
    return { title: `${wave.name} · Waves · Fleetdeck` };
  } catch {
    return { title: "Wave · Fleetdeck" };
  }
}

export default async function WavePage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  if (!session || !can(session.user.role, "migration:read")) return <AccessDenied what="the migration waves" />;
  try {
    await getQueryClient().fetchQuery({ ...trpc.migration.waves.board.queryOptions({ waveId: id }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) {
      return (
        <div className="max-w-xl space-y-3">
          <h1 className="text-xl font-semibold">Wave not found</h1>
          <Alert tone="warning" title={`There is no wave ${id}.`}>
            <Link href="/migration/waves" className="font-medium underline">
              Back to all waves
            </Link>
          </Alert>
        </div>
      );
    }
  }
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <WaveBoard waveId={id} canRun={can(session.user.role, "runbook:run")} canEdit={can(session.user.role, "migration:edit")} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

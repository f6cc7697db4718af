import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { pageTitle } from "@/components/layout/page-title";
import { OrphanDetailView, OrphanNotFound } from "@/components/orphans/orphan-detail";
import { clusterNameSchema } from "@/lib/cluster/cluster-name";
import { describeError } from "@/server/errors/app-error";
import { serverCaller } from "@/server/trpc/server";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  try {
    const orphan = await (await serverCaller()).tenants.orphan({ instanceId: id });
    return { title: pageTitle(orphan.workloads[0]?.name ?? id, "Orphan") };
  } catch {
    return { title: pageTitle("Orphan workload") };
  }
}

/** A snapshot of the orphan's objects (rendered on the server; reload for newer state). */
export default async function OrphanPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ cluster?: string | string[] }>;
}) {
  const { id } = await params;
  // Where several clusters are read, the link names the orphan's cluster; a bad name is ignored (any cluster's orphan of that id).
  const cluster = clusterNameSchema.safeParse([(await searchParams).cluster].flat()[0]);
  let orphan;
  try {
    orphan = await (await serverCaller()).tenants.orphan({ instanceId: id, ...(cluster.success ? { cluster: cluster.data } : {}) });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return <OrphanNotFound id={id} message={describeError(error).userMessage ?? error.message} />;
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") return <OrphanNotFound id={id} message={`${id} is not an instance id.`} />;
    throw error;
  }
  return <OrphanDetailView orphan={orphan} />;
}

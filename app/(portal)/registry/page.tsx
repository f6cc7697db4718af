import type { Metadata } from "next";

import { AccessDenied } from "@/components/layout/access-denied";
import { RegistryHelp } from "@/components/registry/registry-help";
import { RegistryImporter } from "@/components/registry/registry-importer";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Tenant registry · Fleetdeck" };

export default async function RegistryPage() {
  const session = await getServerAuthSession();
  // The procedures refuse other roles anyway; this spares them a form that cannot work.
  if (!session || !can(session.user.role, "registry:import")) {
    return <AccessDenied what="the Tenant registry page" />;
  }
  return (
    <div className="max-w-5xl space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Tenant registry</h1>
        <p className="text-sm text-slate-600">
          The authoritative list of tenants, loaded from the instance service&apos;s export. A file with any problem changes nothing; the report says which row
          and field to fix.
        </p>
      </div>
      <RegistryImporter cluster={env.FLEETDECK_CLUSTER_NAME} clusters={env.CLUSTERS.map((cluster) => cluster.name)} />
      <RegistryHelp />
    </div>
  );
}

import type { Metadata } from "next";

import { AccessDenied } from "@/components/layout/access-denied";
import { ServiceTokensAdmin } from "@/components/migration/tokens/service-tokens-admin";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Service tokens · Fleetdeck" };

export default async function TokensPage() {
  const session = await getServerAuthSession();
  // The procedures refuse other roles anyway; this only spares them a page of error boxes.
  if (!session || !can(session.user.role, "users:manage")) {
    return <AccessDenied what="the Service tokens page" />;
  }
  prefetch(trpc.serviceTokens.list.queryOptions());
  return (
    <HydrateClient>
      <ServiceTokensAdmin />
    </HydrateClient>
  );
}

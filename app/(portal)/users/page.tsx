import type { Metadata } from "next";

import { AccessDenied } from "@/components/layout/access-denied";
import { UsersAdmin } from "@/components/users/users-admin";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Users · Fleetdeck" };

export default async function UsersPage() {
  const session = await getServerAuthSession();
  // The procedures refuse other roles anyway; this only spares them a page of error boxes.
  if (!session || !can(session.user.role, "users:manage")) {
    return <AccessDenied what="the Users page" />;
  }
  prefetch(trpc.users.list.queryOptions());
  return (
    <HydrateClient>
      <UsersAdmin currentUserId={session.user.id} />
    </HydrateClient>
  );
}

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { AppShell } from "@/components/layout/app-shell";
import { DeferredToaster } from "@/components/layout/deferred-toaster";
import { getServerAuthSession } from "@/server/auth/session";

/**
 * proxy.ts already turned away requests without a session cookie; this re-checks against the
 * database, so a disabled user or a deleted account stops here even with a valid token.
 * `banner` is the @banner parallel-route slot (cluster freshness).
 */
export default async function PortalLayout({ children, banner }: { children: ReactNode; banner: ReactNode }) {
  const session = await getServerAuthSession();
  if (!session) {
    const here = (await headers()).get("x-pathname") ?? "/";
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(here)}&error=SessionEnded`);
  }
  return (
    <>
      <AppShell user={session.user} banner={banner}>
        {children}
      </AppShell>
      {/* One toaster for the signed-in pages (a watched run ending). */}
      <DeferredToaster />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

import { AppShell } from "@/components/layout/app-shell";
import { pageTitle } from "@/components/layout/page-title";
import { EmptyState } from "@/components/ui/empty-state";
import { getServerAuthSession } from "@/server/auth/session";

export const metadata: Metadata = { title: pageTitle("Not found") };

/**
 * Every unknown address. The proxy sends visitors without a session to sign-in first, so this is
 * nearly always a signed-in user: they get the app's shell, to go on from the navigation. A
 * malformed address is rewritten here before the session is read, hence the bare variant.
 */
export default async function NotFound() {
  const session = await getServerAuthSession();
  const message = (
    <div className="mx-auto max-w-xl py-4" data-testid="not-found">
      <EmptyState
        title="Page not found"
        action={
          <Link href="/" className="text-sm font-medium text-blue-700 underline">
            Go to start
          </Link>
        }
      >
        The address may be mistyped, or the thing it pointed to no longer exists.
      </EmptyState>
    </div>
  );
  if (!session) return <main className="p-8">{message}</main>;
  return <AppShell user={session.user}>{message}</AppShell>;
}

import Link from "next/link";

import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Not found · Fleetdeck" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-8" data-testid="not-found">
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
    </main>
  );
}

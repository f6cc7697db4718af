"use client";

import { ErrorPanel } from "@/components/layout/error-panel";

export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl p-8">
      <ErrorPanel error={error} reset={reset} />
    </main>
  );
}

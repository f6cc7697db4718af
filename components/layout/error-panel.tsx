"use client";

import Link from "next/link";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { userMessageOf } from "@/components/trpc/error-message";

/**
 * What an error boundary shows: a readable message, a retry and a way home. Never the stack;
 * the digest lets an operator find the full error in the server log.
 */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const message = userMessageOf(error);
  return (
    <div data-testid="error-panel" className="space-y-3">
      <Alert
        tone="danger"
        title="This page could not be shown"
        actions={
          <>
            <Button size="sm" onClick={reset} data-testid="error-retry">
              Try again
            </Button>
            <Link href="/" className="text-sm font-medium text-red-900 underline">
              Go to start
            </Link>
          </>
        }
      >
        <p>{message}</p>
        {error.digest ? <p className="mt-1 text-xs opacity-80">Reference: {error.digest}</p> : null}
      </Alert>
    </div>
  );
}

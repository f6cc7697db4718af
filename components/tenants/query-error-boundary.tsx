"use client";

import { Component, type ReactNode } from "react";
import { QueryErrorResetBoundary } from "@tanstack/react-query";

import { errorDataOf, type FormattedErrorData } from "@/lib/trpc/error-data";

/** The message the tRPC errorFormatter wrote for people, or a plain fallback. */
function loadErrorMessage(error: unknown): string {
  const userMessage = errorDataOf(error)?.userMessage;
  if (userMessage) return userMessage;
  // Errors streamed from a server render arrive redacted (a minified React message); say something useful.
  if (error instanceof Error && error.message && !/^[A-Z_]+$|Minified React error|Server Components render/.test(error.message)) return error.message;
  return "Something went wrong while loading this page.";
}

export function errorCodeOf(error: unknown): FormattedErrorData["code"] | undefined {
  return errorDataOf(error)?.code;
}

type FallbackProps = { error: unknown; retry: () => void };

class ErrorBoundary extends Component<{ fallback: (props: FallbackProps) => ReactNode; onReset: () => void; children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  private retry = () => {
    this.props.onReset();
    this.setState({ error: null });
  };

  render() {
    if (this.state.error) return this.props.fallback({ error: this.state.error, retry: this.retry });
    return this.props.children;
  }
}

/** Catches a failed query below it and lets the user retry without reloading the page. */
export function QueryErrorBoundary({ children, fallback = ErrorPanel }: { children: ReactNode; fallback?: (props: FallbackProps) => ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} fallback={fallback}>
          {children}
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

export function ErrorPanel({ error, retry }: FallbackProps) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-900">
      <p className="font-medium">This page could not be loaded.</p>
      <p className="mt-1">{loadErrorMessage(error)}</p>
      <button
        type="button"
        onClick={retry}
        className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-900 hover:bg-red-100"
      >
        Try again
      </button>
    </div>
  );
}

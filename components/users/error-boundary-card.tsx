"use client";

import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { Component, type ReactNode } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { userMessageOf } from "@/components/trpc/error-message";

class Boundary extends Component<{ onReset: () => void; children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="p-4">
        <Alert
          tone="danger"
          title="Could not load users"
          actions={
            <Button
              size="sm"
              onClick={() => {
                this.props.onReset();
                this.setState({ error: null });
              }}
            >
              Try again
            </Button>
          }
        >
          {userMessageOf(this.state.error)}
        </Alert>
      </div>
    );
  }
}

/** Keeps a failed query inside its card, with a retry, instead of replacing the whole page. */
export function ErrorBoundaryCard({ children }: { children: ReactNode }) {
  return <QueryErrorResetBoundary>{({ reset }) => <Boundary onReset={reset}>{children}</Boundary>}</QueryErrorResetBoundary>;
}

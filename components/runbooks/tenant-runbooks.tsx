"use client";

import { useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import dynamic from "next/dynamic";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

import { useTRPC } from "@/components/trpc/client";
import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { RunbookActionView } from "@/lib/runbooks/run-views";

import { canRunRunbooks, type RunbookViewer } from "./viewer";

// The dialog (react-hook-form and the runbooks' zod schemas) is its own chunk, fetched when it first opens.
const RunbookDialog = dynamic(() => import("./runbook-dialog").then((module) => module.RunbookDialog), { ssr: false });

interface OpenRunbook {
  runbookId: RunbookId;
  input: Record<string, unknown>;
  /** Context for the form, e.g. a volume's current size. */
  hint?: string;
  /** Each opening is a new dialog: a new form and a new idempotency key. */
  opening: number;
}

interface TenantRunbooks {
  tenantId: string;
  viewer: RunbookViewer | undefined;
  canRun: boolean;
  actions: UseQueryResult<RunbookActionView[], unknown>;
  open: (runbookId: RunbookId, input?: Record<string, unknown>, hint?: string) => void;
}

const TenantRunbooksContext = createContext<TenantRunbooks | null>(null);

export function useTenantRunbooks(): TenantRunbooks | null {
  return useContext(TenantRunbooksContext);
}

/**
 * The tenant page's runbooks: the Actions entries (read once for the header and every row menu),
 * the one dialog they open, and a refresh of both when any run of this tenant changes (an entry
 * greys while a run holds the tenant).
 */
export function TenantRunbooksProvider({ tenantId, viewer, children }: { tenantId: string; viewer: RunbookViewer | undefined; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canRun = canRunRunbooks(viewer);
  const actions = useQuery(trpc.runbooks.actions.queryOptions({ tenantId }, { enabled: canRun }));
  const [dialog, setDialog] = useState<OpenRunbook | null>(null);

  useSubscription(
    trpc.runbooks.onRunsChanged.subscriptionOptions(undefined, {
      onData: (change) => {
        if (change.tenantId !== tenantId) return;
        void queryClient.invalidateQueries(trpc.runbooks.actions.queryFilter({ tenantId }));
        void queryClient.invalidateQueries(trpc.runbooks.tenantRuns.pathFilter());
      },
    }),
  );

  const open = useCallback(
    (runbookId: RunbookId, input: Record<string, unknown> = {}, hint?: string) =>
      setDialog((previous) => ({ runbookId, input, hint, opening: (previous?.opening ?? 0) + 1 })),
    [],
  );
  const value = useMemo(() => ({ tenantId, viewer, canRun, actions, open }), [tenantId, viewer, canRun, actions, open]);

  return (
    <TenantRunbooksContext.Provider value={value}>
      {children}
      {dialog && canRun ? (
        <RunbookDialog
          key={dialog.opening}
          tenantId={tenantId}
          runbookId={dialog.runbookId}
          initialInput={dialog.input}
          hint={dialog.hint}
          viewer={viewer}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </TenantRunbooksContext.Provider>
  );
}

"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useId, useRef, useState } from "react";

import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { BATCH_RUNBOOK_IDS, describeSelection, type BatchRunbookId } from "@/lib/runbooks/runbook-batches";
import { runbookBatchCreateInputSchema, type BatchRunbookRequest, type RunbookBatchSelection } from "@/lib/runbooks/runbook-batch-schemas";

import { newIdempotencyKey } from "../idempotency-key";
import { runbookLabel } from "../run-style";

function requestOf(runbookId: BatchRunbookId, reason: string): BatchRunbookRequest {
  if (runbookId === "stop-instance") return { runbookId, input: reason.trim() ? { reason: reason.trim() } : {} };
  return { runbookId, input: {} } as BatchRunbookRequest;
}

/**
 * "Run over selection" from the tenants list: one runbook for every tenant the current search and
 * filters match (every page, in the list's order). The preview, read from the cache as the form
 * changes, says how many would run, which would be passed over and why, and whether a second
 * person must approve. Creating is at most once per dialog (its Idempotency-Key).
 */
export function BatchDialog({ selection, onClose }: { selection: RunbookBatchSelection; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [runbookId, setRunbookId] = useState<BatchRunbookId>("restart-instance");
  const [reason, setReason] = useState("");
  const [concurrency, setConcurrency] = useState("5");
  const [failureBudget, setFailureBudget] = useState("3");

  const request = requestOf(runbookId, useDeferredValue(reason));
  const preview = useQuery({ ...trpc.runbooks.batches.preview.queryOptions({ request, selection }), placeholderData: keepPreviousData, retry: false });
  const create = useMutation(trpc.runbooks.batches.create.mutationOptions());

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const settings = runbookBatchCreateInputSchema.shape.concurrency.safeParse(Number(concurrency));
  const budget = runbookBatchCreateInputSchema.shape.failureBudget.safeParse(Number(failureBudget));
  const localErrors = {
    concurrency: concurrency.trim() === "" || !settings.success ? (settings.error?.issues[0]?.message ?? "Give a whole number.") : undefined,
    failureBudget: failureBudget.trim() === "" || !budget.success ? (budget.error?.issues[0]?.message ?? "Give a whole number.") : undefined,
  };
  const serverErrors = fieldErrorsOf(create.error);
  const view = preview.data;
  const canCreate = Boolean(view && view.runnable > 0 && !localErrors.concurrency && !localErrors.failureBudget && !preview.isFetching);

  function onCreate(event: React.FormEvent) {
    event.preventDefault();
    if (!canCreate || create.isPending) return;
    create.mutate(
      { request, selection, concurrency: Number(concurrency), failureBudget: Number(failureBudget), idempotencyKey },
      {
        onSuccess: (batch) => {
          onClose();
          router.push(`/runs/batches/${batch.id}`);
        },
      },
    );
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      data-testid="batch-dialog"
      onCancel={(event) => {
        if (create.isPending) event.preventDefault();
      }}
      onClose={onClose}
      className="m-auto max-h-[92dvh] w-[min(44rem,calc(100vw-1rem))] overflow-y-auto rounded-xl border border-slate-200 bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <form onSubmit={onCreate} noValidate className="space-y-4 p-4 sm:p-5" aria-label="Run over selection">
        <header className="flex items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <h2 id={titleId} className="text-lg font-semibold text-slate-900">
              Run over selection
            </h2>
            <p className="text-sm text-slate-700">
              One run per tenant of <span className="font-medium">{describeSelection(selection)}</span>, each with its own lock, preview and audit entry.
            </p>
          </div>
          <Button variant="ghost" size="sm" aria-label="Close" onClick={() => dialogRef.current?.close()} disabled={create.isPending}>
            ✕
          </Button>
        </header>

        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Runbook" className="sm:col-span-3">
            {({ id }) => (
              <Select id={id} value={runbookId} onChange={(event) => setRunbookId(event.target.value as BatchRunbookId)} data-testid="batch-runbook">
                {BATCH_RUNBOOK_IDS.map((id) => (
                  <option key={id} value={id}>
                    {runbookLabel(id)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {runbookId === "stop-instance" && (
            <Field label="Reason (optional)" hint="Kept with each run and in the audit log." className="sm:col-span-3" error={serverErrors.reason}>
              {({ id, describedBy }) => <Input id={id} value={reason} onChange={(event) => setReason(event.target.value)} aria-describedby={describedBy} />}
            </Field>
          )}
          <Field label="At once" hint="Runs in flight at a time (1-50)." error={localErrors.concurrency ?? serverErrors.concurrency}>
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                inputMode="numeric"
                value={concurrency}
                onChange={(event) => setConcurrency(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                data-testid="batch-concurrency"
              />
            )}
          </Field>
          <Field
            label="Failure budget"
            hint="Pause after this many failed runs (runs in flight finish)."
            error={localErrors.failureBudget ?? serverErrors.failureBudget}
          >
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                inputMode="numeric"
                value={failureBudget}
                onChange={(event) => setFailureBudget(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                data-testid="batch-failure-budget"
              />
            )}
          </Field>
        </div>

        <section
          aria-label="Preview"
          data-testid="batch-preview"
          aria-busy={preview.isFetching || undefined}
          className="space-y-3 border-t border-slate-200 pt-4"
        >
          {preview.error ? (
            <Alert tone="danger" data-testid="batch-preview-error">
              {userMessageOf(preview.error)}
            </Alert>
          ) : !view ? (
            <Spinner size="sm" label="Looking at the selection" />
          ) : (
            <>
              <p className="text-sm" data-testid="batch-preview-summary">
                {view.title}: <span className="font-semibold">{view.runnable.toLocaleString("en-US")}</span> of {view.size.toLocaleString("en-US")}{" "}
                {view.size === 1 ? "tenant" : "tenants"} would run it
                {view.highRisk > 0 ? `, ${view.highRisk} of them at high risk` : ""}.
              </p>
              {view.sample.length > 0 && (
                <p className="text-xs text-slate-600">
                  First: {view.sample.map((tenant) => tenant.name).join(", ")}
                  {view.size > view.sample.length ? ", …" : ""}
                </p>
              )}
              {view.skipped.length > 0 && (
                <div className="space-y-1" data-testid="batch-preview-skipped">
                  <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Passed over</h3>
                  <ul className="space-y-1 text-sm">
                    {view.skipped.map((group) => (
                      <li key={group.reason}>
                        <span className="font-medium">{group.count.toLocaleString("en-US")}</span> · {group.reason}{" "}
                        <span className="text-xs break-words text-slate-500">
                          ({group.examples.join(", ")}
                          {group.count > group.examples.length ? ", …" : ""})
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {view.needsApproval ? (
                <Alert tone="warning" title="A second person must approve it first" data-testid="batch-needs-approval">
                  <ul className="list-disc pl-4">
                    {view.approvalReasons.map((text) => (
                      <li key={text}>{text}</li>
                    ))}
                  </ul>
                  <p className="mt-1 text-xs">Nothing runs until an approver accepts it on the selection&apos;s page.</p>
                </Alert>
              ) : (
                <p className="text-xs text-slate-600">Up to {view.approvalSize} tenants run without a second person; this one starts at once.</p>
              )}
            </>
          )}
        </section>

        {create.error && !Object.keys(serverErrors).length ? (
          <Alert tone="danger" data-testid="batch-create-error">
            {userMessageOf(create.error)}
          </Alert>
        ) : null}

        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => dialogRef.current?.close()} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={create.isPending} disabled={!canCreate} data-testid="batch-create">
            {view?.needsApproval ? "Ask for approval" : `Run on ${view ? view.runnable.toLocaleString("en-US") : "…"} tenants`}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";

import { errorCodeOf } from "@/components/tenants/query-error-boundary";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { RUNBOOK_INPUT_SCHEMAS, type RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { RunbookPreviewView } from "@/lib/runbooks/run-views";

import { newIdempotencyKey } from "./idempotency-key";
import { ObjectChangeList, PreconditionList } from "./object-changes";
import { RiskBadge } from "./run-badges";
import { runbookLabel } from "./run-style";
import { canForce, type RunbookViewer } from "./viewer";

/** Every field any runbook's form has; each runbook's defaults hold only its own (the schemas are strict). */
interface RunbookFormValues {
  reason?: string;
  pod?: string;
  force?: boolean;
  volume?: string;
  size?: string;
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

function defaultsFor(runbookId: RunbookId, initial: Record<string, unknown>): RunbookFormValues {
  switch (runbookId) {
    case "stop-instance":
      return { reason: text(initial.reason) };
    case "remove-stuck-pod":
      return { pod: text(initial.pod), force: initial.force === true, reason: text(initial.reason) };
    case "expand-volume":
      return { volume: text(initial.volume), size: text(initial.size) };
    default:
      return {};
  }
}

/** An empty optional reason is no reason. */
function inputOf(values: RunbookFormValues): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => !(key === "reason" && value === "")));
}

/**
 * A runbook from input to confirmation, in one modal dialog (native <dialog>: focus stays inside,
 * Escape closes, focus returns to the opener): the form, the API server's dry-run preview, then
 * Confirm with the preview's planHash. The Idempotency-Key is made once per dialog, so a retry or
 * a second click can never start a second run.
 */
export function RunbookDialog({
  tenantId,
  runbookId,
  initialInput,
  hint,
  viewer,
  onClose,
}: {
  tenantId: string;
  runbookId: RunbookId;
  initialInput: Record<string, unknown>;
  hint?: string;
  viewer: RunbookViewer | undefined;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const [idempotencyKey] = useState(newIdempotencyKey);
  /** `formKey`: the form as it was previewed; the preview shows only while the form still says the same. */
  const [previewed, setPreviewed] = useState<{ input: Record<string, unknown>; formKey: string; view: RunbookPreviewView } | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const confirming = useRef(false);

  const actions = useQuery(trpc.runbooks.actions.queryOptions({ tenantId }));
  const action = actions.data?.find((candidate) => candidate.runbookId === runbookId);

  const form = useForm<RunbookFormValues>({
    resolver: zodResolver(RUNBOOK_INPUT_SCHEMAS[runbookId] as never) as unknown as Resolver<RunbookFormValues>,
    defaultValues: defaultsFor(runbookId, initialInput),
  });
  const errors = form.formState.errors;
  const values = useWatch({ control: form.control });
  const force = values.force === true;

  const preview = useMutation(trpc.runbooks.preview.mutationOptions());
  const runPreview = (input: Record<string, unknown>, formKey: string) =>
    preview.mutate({ tenantId, runbookId, input }, { onSuccess: (view) => setPreviewed({ input, formKey, view }) });

  const confirm = useMutation(trpc.runbooks.confirm.mutationOptions());

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const onPreview = form.handleSubmit((parsed) => {
    setConflict(null);
    confirm.reset();
    runPreview(inputOf(parsed), JSON.stringify(form.getValues()));
  });

  // Editing the form after a preview hides it (and its Confirm) until the new input is previewed.
  const shown = previewed && previewed.formKey === JSON.stringify(values) ? previewed : null;
  const shownConflict = shown || preview.isPending ? conflict : null;

  function onConfirm() {
    if (!shown || confirming.current) return;
    confirming.current = true;
    setConflict(null);
    const { input, formKey, view } = shown;
    confirm.mutate(
      { tenantId, runbookId, input, planHash: view.planHash, idempotencyKey },
      {
        onSuccess: (run) => {
          void queryClient.invalidateQueries(trpc.runbooks.pathFilter());
          onClose();
          router.push(`/runs/${run.id}`);
        },
        onError: (error) => {
          // The plan changed since the preview (or lapsed): say why, and show what would happen now.
          if (errorCodeOf(error) === "CONFLICT") {
            setConflict(userMessageOf(error));
            runPreview(input, formKey);
          }
        },
        onSettled: () => {
          confirming.current = false;
        },
      },
    );
  }

  const title = action?.title ?? runbookLabel(runbookId);
  const targets = action?.targets ?? [];
  const fieldErrors = { ...fieldErrorsOf(preview.error), ...fieldErrorsOf(confirm.error) };
  const confirmError = confirm.error && errorCodeOf(confirm.error) !== "CONFLICT" ? userMessageOf(confirm.error) : null;
  const needsApproval = shown?.view.needsApproval ?? false;

  // One reason field, for stop-instance and remove-stuck-pod (labels and hints differ).
  const reasonInput = ({ id, describedBy, invalid }: { id: string; describedBy?: string; invalid: boolean }) => (
    <Input id={id} {...form.register("reason")} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="runbook-input-reason" />
  );

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      data-testid="runbook-dialog"
      data-runbook={runbookId}
      onCancel={(event) => {
        // Escape. While a confirmation is on its way the dialog stays, so its outcome is seen.
        if (confirm.isPending) event.preventDefault();
      }}
      onClose={onClose}
      className="m-auto max-h-[92dvh] w-[min(48rem,calc(100vw-1rem))] overflow-y-auto rounded-xl border border-slate-200 bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50 dark:backdrop:bg-black/60"
    >
      <div className="space-y-4 p-4 sm:p-5">
        <header className="flex items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <h2 id={titleId} className="text-lg font-semibold text-slate-900">
                {title}
              </h2>
              {action ? <RiskBadge risk={shown?.view.risk ?? action.risk} /> : null}
            </div>
            <p id={descriptionId} className="text-sm text-slate-700">
              {action ? action.description : actions.isPending ? <Spinner size="sm" label="Loading the runbook" /> : null}
            </p>
            {actions.error ? <p className="text-xs text-red-800">{userMessageOf(actions.error)}</p> : null}
          </div>
          <Button variant="ghost" size="sm" aria-label="Close" onClick={() => dialogRef.current?.close()} disabled={confirm.isPending}>
            ✕
          </Button>
        </header>

        <form onSubmit={onPreview} noValidate className="space-y-3" aria-label={`${title} input`}>
          {runbookId === "stop-instance" && (
            <Field label="Reason (optional)" hint="Kept with the run and in the audit log." error={errors.reason?.message ?? fieldErrors.reason}>
              {reasonInput}
            </Field>
          )}
          {runbookId === "remove-stuck-pod" && (
            <>
              <Field label="Pod" error={errors.pod?.message}>
                {({ id, describedBy, invalid }) => (
                  <Select id={id} {...form.register("pod")} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="runbook-input-pod">
                    <option value="">Choose a pod</option>
                    {[...new Set([...targets, ...(initialInput.pod ? [text(initialInput.pod)] : [])])].map((pod) => (
                      <option key={pod} value={pod}>
                        {pod}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              {canForce(viewer) && (
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" className="mt-0.5 size-4 accent-red-700" {...form.register("force")} data-testid="runbook-input-force" />
                  <span>
                    <span className="font-medium">Force delete</span>
                    <span className="block text-xs text-slate-600">
                      Deletes at once (grace period 0), skipping PodDisruptionBudgets. High risk: a second person must approve it.
                    </span>
                  </span>
                </label>
              )}
              <Field
                label={force ? "Reason (required)" : "Reason (optional)"}
                hint={force ? "Say why the pod must be force-deleted." : undefined}
                error={errors.reason?.message ?? fieldErrors.reason}
              >
                {reasonInput}
              </Field>
            </>
          )}
          {runbookId === "expand-volume" && (
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Volume" error={errors.volume?.message}>
                {({ id, describedBy, invalid }) => (
                  <Select
                    id={id}
                    {...form.register("volume")}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    data-testid="runbook-input-volume"
                  >
                    <option value="">Choose a volume</option>
                    {[...new Set([...targets, ...(initialInput.volume ? [text(initialInput.volume)] : [])])].map((volume) => (
                      <option key={volume} value={volume}>
                        {volume}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="New size" hint={hint ? `e.g. 20Gi. ${hint}` : "e.g. 20Gi (Mi, Gi or Ti)."} error={errors.size?.message ?? fieldErrors.size}>
                {({ id, describedBy, invalid }) => (
                  <Input
                    id={id}
                    {...form.register("size")}
                    placeholder="20Gi"
                    autoComplete="off"
                    spellCheck={false}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    data-testid="runbook-input-size"
                    className="font-mono"
                  />
                )}
              </Field>
            </div>
          )}
          {!["stop-instance", "remove-stuck-pod", "expand-volume"].includes(runbookId) && (
            <p className="text-sm text-slate-600">This runbook takes no input.</p>
          )}

          {preview.error ? (
            <Alert tone="danger" data-testid="runbook-preview-error">
              {userMessageOf(preview.error)}
            </Alert>
          ) : null}

          <div className="flex flex-wrap justify-end gap-2">
            <Button type="submit" pending={preview.isPending} disabled={confirm.isPending} data-testid="preview-run">
              {shown ? "Preview again" : "Preview"}
            </Button>
          </div>
        </form>

        {shownConflict ? (
          <Alert tone="warning" title="The plan changed since the preview" data-testid="runbook-conflict">
            <p>{shownConflict}</p>
            <p className="mt-1 text-xs">
              {preview.isPending ? "Previewing again…" : "The preview below is the current plan; confirm it if it is still what you want."}
            </p>
          </Alert>
        ) : null}

        {shown ? (
          <section
            aria-label="Preview"
            data-testid="runbook-preview"
            aria-busy={preview.isPending || undefined}
            className="space-y-4 border-t border-slate-200 pt-4"
          >
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="text-sm font-semibold">Preview</h3>
              <RiskBadge risk={shown.view.risk} />
              {needsApproval ? (
                <span className="text-xs font-medium text-amber-900" data-testid="runbook-needs-approval">
                  Needs approval by a second person before it runs.
                </span>
              ) : null}
              <span className="ml-auto text-xs text-slate-500">
                Dry run at <time dateTime={shown.view.plannedAt}>{new Date(shown.view.plannedAt).toLocaleTimeString("en-GB")}</time>
              </span>
            </div>
            <div className="space-y-1.5">
              <h4 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Preconditions</h4>
              <PreconditionList preconditions={shown.view.preconditions} />
            </div>
            {shown.view.refusal ? (
              <Alert tone="danger" title="The API server refused the dry run" data-testid="runbook-refusal">
                <p className="font-mono text-xs break-words whitespace-pre-wrap">{shown.view.refusal}</p>
              </Alert>
            ) : null}
            <div className="space-y-1.5">
              <h4 className="text-xs font-medium tracking-wide text-slate-500 uppercase">What changes</h4>
              <ObjectChangeList changes={shown.view.changes} />
            </div>
          </section>
        ) : null}

        {confirmError ? (
          <Alert tone="danger" data-testid="runbook-confirm-error">
            {confirmError}
          </Alert>
        ) : null}

        <footer className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 pt-3">
          {shown && !shown.view.canConfirm ? (
            <p className="mr-auto text-xs text-slate-600">Confirm is disabled: a precondition fails or the dry run was refused.</p>
          ) : null}
          {!shown ? <p className="mr-auto text-xs text-slate-600">Preview first: nothing changes until you confirm.</p> : null}
          <Button onClick={() => dialogRef.current?.close()} disabled={confirm.isPending}>
            Cancel
          </Button>
          <Button
            variant={shown?.view.risk === "high" ? "danger" : "primary"}
            onClick={onConfirm}
            disabled={!shown?.view.canConfirm || preview.isPending}
            pending={confirm.isPending}
            data-testid="confirm-run"
          >
            {needsApproval ? "Request approval" : "Confirm"}
          </Button>
        </footer>
      </div>
    </dialog>
  );
}

"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { toast } from "@/components/ui/toast";

import { useLiveSubscription } from "@/components/live/use-live-connection";
import { LiveDataAge } from "@/components/live/live-data-age";
import { Panel } from "@/components/tenants/panel";
import { RelativeTime } from "@/components/tenants/relative-time";
import { formatAbsolute } from "@/components/tenants/time-format";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { RunView as Run } from "@/lib/runbooks/run-views";

import { ObjectChangeList } from "./object-changes";
import { RiskBadge, RunStateBadge, StepStateBadge } from "./run-badges";
import { runDuration } from "./run-duration";
import { isTerminal, RUN_STATE_STYLE } from "./run-style";
import { canApprove, canRunRunbooks, isRequester, type RunbookViewer } from "./viewer";

// The dialog (react-hook-form and the runbooks' zod schemas) is its own chunk, fetched when it first opens.
const RunbookDialog = dynamic(() => import("./runbook-dialog").then((module) => module.RunbookDialog), { ssr: false });

function Timestamp({ iso }: { iso: string | undefined }) {
  if (!iso) return <span className="text-slate-400">—</span>;
  return (
    // The browser's zone may differ from the server's: the client's text wins.
    <time dateTime={iso} title={formatAbsolute(iso)} suppressHydrationWarning>
      {new Date(iso).toLocaleTimeString("en-GB")}
    </time>
  );
}

/**
 * One run, live: the first value is read with the page (the server prefetches it), then
 * `runbooks.onRun` pushes every change into the query cache until the run ends.
 */
export function RunView({ runId, viewer }: { runId: string; viewer: RunbookViewer | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runQuery = trpc.runbooks.run.queryOptions({ runId });
  const { data: run } = useSuspenseQuery(runQuery);
  const ended = isTerminal(run.state);

  const live = useSubscription(
    trpc.runbooks.onRun.subscriptionOptions(
      { runId },
      {
        enabled: !ended,
        onData: (change) => queryClient.setQueryData(runQuery.queryKey, change.data),
      },
    ),
  );
  const connection = useLiveSubscription(live, { onResumed: () => void queryClient.invalidateQueries({ queryKey: runQuery.queryKey }) });

  // The run ended while this page watched it (not: it had ended before the page opened).
  const lastState = useRef(run.state);
  useEffect(() => {
    const before = lastState.current;
    lastState.current = run.state;
    if (before === run.state || isTerminal(before) || !isTerminal(run.state)) return;
    const text = `${run.title} on ${run.tenantName}: ${RUN_STATE_STYLE[run.state].label.toLowerCase()}`;
    if (run.state === "succeeded") toast.success(text, { description: run.message });
    else toast.error(text, { description: run.message });
  }, [run.state, run.title, run.tenantName, run.message]);

  const [undoing, setUndoing] = useState(0);
  const tone = run.state === "succeeded" ? "success" : ["failed", "timed-out", "interrupted"].includes(run.state) ? "danger" : "info";

  return (
    <div className="space-y-4" data-testid="run-view" data-run-id={run.id} data-state={run.state}>
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runs" className="text-blue-700 hover:underline">
          ← Runs
        </Link>
      </nav>
      <header className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-xl font-semibold text-slate-900">{run.title}</h1>
          <RunStateBadge state={run.state} data-testid="run-state" />
          <RiskBadge risk={run.risk} />
          {run.undo && canRunRunbooks(viewer) ? (
            <Button size="sm" className="ml-auto" onClick={() => setUndoing((count) => count + 1)} data-testid="undo-run">
              Undo
            </Button>
          ) : null}
        </div>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Fact term="Tenant">
            <Link href={`/tenants/${run.tenantId}`} className="text-blue-700 hover:underline" data-testid="run-tenant-link">
              {run.tenantName}
            </Link>
          </Fact>
          <Fact term="Requested by" title={run.requestedByEmail}>
            {run.requestedByEmail}
          </Fact>
          <Fact term="Requested">
            <RelativeTime iso={run.requestedAt} />
          </Fact>
          <Fact term="Started">
            <Timestamp iso={run.startedAt} />
          </Fact>
          <Fact term="Ended">
            <Timestamp iso={run.endedAt} />
          </Fact>
          <Fact term="Duration">
            <span suppressHydrationWarning>{runDuration(run) ?? "—"}</span>
          </Fact>
        </dl>
        {Object.keys(run.input).length > 0 ? (
          <p className="mt-2 text-xs text-slate-600">
            Input:{" "}
            {Object.entries(run.input).map(([key, value]) => (
              <span key={key} className="mr-2 font-mono">
                {key}={JSON.stringify(value)}
              </span>
            ))}
          </p>
        ) : null}
      </header>

      <p role="status" data-testid="run-live-status" data-state={ended ? "ended" : connection.state} className="text-xs text-slate-500">
        {ended ? (
          "This run has ended."
        ) : connection.state === "live" ? (
          "Live: this page follows the run."
        ) : connection.state === "reconnecting" ? (
          <span className="font-medium text-amber-800">
            Reconnecting… Showing the last known state, <LiveDataAge since={connection.since} />.
          </span>
        ) : (
          "Connecting to live updates…"
        )}
      </p>

      {run.message ? (
        <Alert tone={tone} data-testid="run-message">
          <p className="whitespace-pre-wrap">{run.message}</p>
        </Alert>
      ) : null}

      <ApprovalPanel run={run} viewer={viewer} onChanged={(next) => queryClient.setQueryData(runQuery.queryKey, next)} />

      <Panel title="Steps">
        {run.steps.length === 0 ? (
          <p className="text-sm text-slate-600">No steps yet.</p>
        ) : (
          <ol className="space-y-3">
            {run.steps.map((step) => (
              <li key={step.index} data-testid={`run-step-${step.index}`} data-state={step.state} className="min-w-0 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-xs text-slate-500 tabular-nums">{step.index + 1}.</span>
                  <span className="font-medium text-slate-900">{step.title}</span>
                  <StepStateBadge state={step.state} />
                  <span className="text-xs text-slate-500">
                    <Timestamp iso={step.startedAt} />
                    {step.endedAt ? (
                      <>
                        {" – "}
                        <Timestamp iso={step.endedAt} />
                      </>
                    ) : null}
                  </span>
                </div>
                {step.output ? (
                  <pre
                    tabIndex={0}
                    aria-label={`Output of ${step.title}`}
                    className="max-h-64 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs break-words whitespace-pre-wrap text-slate-800"
                  >
                    {step.output}
                  </pre>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Panel>

      <Panel title="Changes">
        <ObjectChangeList changes={run.changes} />
      </Panel>

      {run.undo && undoing > 0 ? (
        <RunbookDialog
          key={undoing}
          tenantId={run.tenantId}
          runbookId={run.undo.runbookId}
          initialInput={run.undo.input}
          viewer={viewer}
          onClose={() => setUndoing(0)}
        />
      ) : null}
    </div>
  );
}

function Fact({ term, title, children }: { term: string; title?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{term}</dt>
      <dd className="truncate text-slate-900" title={title}>
        {children}
      </dd>
    </div>
  );
}

/** Who decided, or (awaiting approval) the decision itself for a second person and Cancel for the requester. */
function ApprovalPanel({ run, viewer, onChanged }: { run: Run; viewer: RunbookViewer | undefined; onChanged: (run: Run) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const commentId = useId();
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string | null>(null);
  const options = {
    onSuccess: (next: Run) => {
      onChanged(next);
      void queryClient.invalidateQueries(trpc.runbooks.list.pathFilter());
      void queryClient.invalidateQueries(trpc.runbooks.tenantRuns.pathFilter());
    },
  };
  const approve = useMutation(trpc.runbooks.approve.mutationOptions(options));
  const reject = useMutation(trpc.runbooks.reject.mutationOptions(options));
  const cancel = useMutation(trpc.runbooks.cancel.mutationOptions(options));
  const pending = approve.isPending || reject.isPending || cancel.isPending;
  const error = approve.error ?? reject.error ?? cancel.error;

  if (run.approval) {
    const { decision, byEmail, at, comment: said } = run.approval;
    return (
      <Alert tone={decision === "approved" ? "success" : "warning"} data-testid="run-approval">
        <p>
          {decision === "approved" ? "Approved" : "Rejected"} by <span className="font-medium">{byEmail}</span> <RelativeTime iso={at} />.
        </p>
        {said ? <p className="mt-1 whitespace-pre-wrap">“{said}”</p> : null}
      </Alert>
    );
  }
  if (run.state !== "awaiting-approval") return null;

  const mine = isRequester(viewer, run.requestedByEmail);
  const mayDecide = canApprove(viewer) && !mine;

  async function onReject() {
    // The rule (zod) is fetched on the click: a run page does not ship zod for one button's check.
    const { runRejectInputSchema } = await import("@/lib/runbooks/runbook-requests");
    const checked = runRejectInputSchema.shape.comment.safeParse(comment);
    if (!checked.success) {
      setCommentError(checked.error.issues[0]?.message ?? "Say why you reject the run.");
      return;
    }
    setCommentError(null);
    reject.mutate({ runId: run.id, comment: checked.data });
  }

  return (
    <section
      aria-labelledby={`${commentId}-title`}
      data-testid="run-approval"
      className="space-y-3 rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950"
    >
      <h2 id={`${commentId}-title`} className="text-sm font-semibold text-amber-950">
        Waiting for approval
      </h2>
      <p className="text-sm">
        A high-risk run starts only once a second person with approval rights approves it.
        {run.approvalExpiresAt ? (
          <>
            {" "}
            The request lapses at <Timestamp iso={run.approvalExpiresAt} />.
          </>
        ) : null}
        {mine ? " You requested it, so someone else must decide." : null}
      </p>
      {mayDecide ? (
        <div className="space-y-1">
          <label htmlFor={commentId} className="block text-xs font-medium">
            Comment (required to reject)
          </label>
          <textarea
            id={commentId}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            rows={2}
            maxLength={1000}
            aria-invalid={commentError ? true : undefined}
            aria-describedby={commentError ? `${commentId}-error` : undefined}
            data-testid="run-decision-comment"
            className={cn("block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm text-slate-900", commentError ? "border-red-600" : "border-slate-300")}
          />
          {commentError ? (
            <p id={`${commentId}-error`} className="text-xs text-red-800">
              {commentError}
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <Alert tone="danger" data-testid="run-decision-error">
          {userMessageOf(error)}
        </Alert>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {mayDecide ? (
          <>
            <Button
              variant="primary"
              pending={approve.isPending}
              disabled={pending}
              onClick={() => approve.mutate({ runId: run.id, comment: comment.trim() || undefined })}
              data-testid="approve-run"
            >
              Approve
            </Button>
            <Button variant="danger" pending={reject.isPending} disabled={pending} onClick={() => void onReject()} data-testid="reject-run">
              Reject
            </Button>
          </>
        ) : null}
        {mine ? (
          <Button pending={cancel.isPending} disabled={pending} onClick={() => cancel.mutate({ runId: run.id })} data-testid="cancel-run">
            Cancel request
          </Button>
        ) : null}
        {!mine && !mayDecide ? <p className="text-sm">Someone with approval rights (an admin) must decide.</p> : null}
      </div>
    </section>
  );
}

"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { RUNBOOK_BATCH_ITEM_STATES, type RunbookBatchItemState, type RunbookBatchView as Batch } from "@/lib/runbooks/runbook-batches";

import { RunStateBadge } from "../run-badges";
import { canApprove, canRunRunbooks, isRequester, type RunbookViewer } from "../viewer";
import { BATCH_ITEM_ORDER, BATCH_ITEM_STYLE, BATCH_STATE_STYLE, isBatchActive } from "./batch-style";

const PAGE_SIZE = 50;
const POLL_MS = 1_500;

function itemStateOf(value: string | null): RunbookBatchItemState | undefined {
  return RUNBOOK_BATCH_ITEM_STATES.find((state) => state === value);
}

/** A run over a selection: what it runs over, who asked and who approved, its progress live, its tenants. */
export function BatchView({ batchId, viewer }: { batchId: string; viewer: RunbookViewer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = itemStateOf(searchParams.get("state"));
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);

  const { data: batch } = useSuspenseQuery({
    ...trpc.runbooks.batches.get.queryOptions({ batchId }),
    refetchInterval: (query) => (query.state.data && !isBatchActive(query.state.data.state, query.state.data.counts.running) ? false : POLL_MS),
  });
  const active = isBatchActive(batch.state, batch.counts.running);
  const items = useQuery({
    ...trpc.runbooks.batches.items.queryOptions({ batchId, state, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: active ? POLL_MS : false,
  });

  // The tenants' rows follow the selection: whenever its counts or state move, read them again
  // (the last change, e.g. the final run ending or a rejection, comes after polling stops).
  const progressKey = `${batch.state}:${JSON.stringify(batch.counts)}`;
  const { refetch: refetchItems } = items;
  useEffect(() => {
    void refetchItems();
  }, [progressKey, refetchItems]);

  const show = (next: { state?: RunbookBatchItemState; page?: number }) => {
    const params = new URLSearchParams();
    if (next.state) params.set("state", next.state);
    if (next.page && next.page > 1) params.set("page", String(next.page));
    const query = params.toString();
    router.replace(`${pathname}${query ? `?${query}` : ""}`, { scroll: false });
  };

  const refresh = () => void queryClient.invalidateQueries(trpc.runbooks.batches.pathFilter());
  const options = { onSuccess: refresh };
  const approve = useMutation(trpc.runbooks.batches.approve.mutationOptions(options));
  const reject = useMutation(trpc.runbooks.batches.reject.mutationOptions(options));
  const cancel = useMutation(trpc.runbooks.batches.cancel.mutationOptions(options));
  const pause = useMutation(trpc.runbooks.batches.pause.mutationOptions(options));
  const resume = useMutation(trpc.runbooks.batches.resume.mutationOptions(options));
  const retry = useMutation(trpc.runbooks.batches.retryFailed.mutationOptions(options));
  const failing = [approve, reject, cancel, pause, resume, retry].find((mutation) => mutation.error);

  const mine = isRequester(viewer, batch.requestedBy.email);
  const open = batch.state === "awaiting-approval" || batch.state === "running" || batch.state === "paused";
  const retryable = batch.counts.failed + batch.counts.interrupted;
  const ended = batch.counts.succeeded + batch.counts.failed + batch.counts.interrupted + batch.counts.skipped + batch.counts.cancelled;

  return (
    <div className="space-y-4" data-testid="batch-view" data-state={batch.state}>
      <div className="space-y-1">
        <p className="text-sm">
          <Link href="/runs" className="text-blue-700 hover:underline">
            Runs
          </Link>
          <span className="text-slate-400"> / </span>
          <span className="text-slate-600">Run over a selection</span>
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-xl font-semibold text-slate-900">
            {batch.title} · {batch.size.toLocaleString("en-US")} {batch.size === 1 ? "tenant" : "tenants"}
          </h1>
          <Badge tone={BATCH_STATE_STYLE[batch.state].tone} data-testid="batch-state" data-state={batch.state}>
            {BATCH_STATE_STYLE[batch.state].label}
          </Badge>
        </div>
        <p className="text-sm text-slate-600">
          {batch.selectionLabel} · asked by {batch.requestedBy.email} <RelativeTime iso={batch.createdAt} /> · {batch.concurrency} at once · pauses after{" "}
          {batch.failureBudget} {batch.failureBudget === 1 ? "failure" : "failures"}
          {typeof batch.input.reason === "string" ? ` · reason: ${batch.input.reason}` : ""}
        </p>
      </div>

      {batch.state === "awaiting-approval" && (
        <Alert tone="warning" title="Waiting for a second person" data-testid="batch-awaiting-approval">
          {mine
            ? "An approver (an admin) must accept it before any tenant runs. Send them this page."
            : canApprove(viewer)
              ? "Nothing has run yet. Approve it to start the runs, or reject it with a reason."
              : "Nothing has run yet: an approver must accept it first."}
        </Alert>
      )}
      {batch.pausedReason && batch.state === "paused" && (
        <Alert tone="warning" title="Paused" data-testid="batch-paused-reason">
          {batch.pausedReason}
        </Alert>
      )}
      {batch.decidedBy && (
        <p className="text-sm text-slate-700" data-testid="batch-decision">
          {batch.state === "rejected" ? "Rejected" : "Approved"} by {batch.decidedBy.email} <RelativeTime iso={batch.decidedBy.at} />
          {batch.decidedBy.comment ? `: “${batch.decidedBy.comment}”` : "."}
        </p>
      )}
      {failing ? (
        <Alert tone="danger" data-testid="batch-action-error">
          {userMessageOf(failing.error)}
        </Alert>
      ) : null}

      <Card>
        <CardBody className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm" data-testid="batch-progress" aria-live="polite">
              <span className="font-semibold">{ended.toLocaleString("en-US")}</span> of {batch.size.toLocaleString("en-US")} done
              {batch.counts.running > 0 ? ` · ${batch.counts.running} running` : ""}
              {batch.counts.failed > 0 ? ` · ${batch.counts.failed} failed` : ""}
            </p>
            <BatchActions
              batch={batch}
              viewer={viewer}
              mine={mine}
              open={open}
              retryable={retryable}
              pending={[approve, reject, cancel, pause, resume, retry].some((mutation) => mutation.isPending)}
              onApprove={() => approve.mutate({ batchId, comment: "" })}
              onReject={(comment) => reject.mutate({ batchId, comment })}
              onCancel={() => cancel.mutate({ batchId })}
              onPause={() => pause.mutate({ batchId })}
              onResume={() => resume.mutate({ batchId })}
              onRetry={() => retry.mutate({ batchId })}
            />
          </div>
          <div className="flex h-2.5 overflow-hidden rounded-full bg-slate-100" role="img" aria-label={`${ended} of ${batch.size} tenants done`}>
            {BATCH_ITEM_ORDER.filter((key) => key !== "pending").map((key) =>
              batch.counts[key] > 0 ? (
                <div key={key} className={BATCH_ITEM_STYLE[key].bar} style={{ width: `${(batch.counts[key] / batch.size) * 100}%` }} />
              ) : null,
            )}
          </div>
          <div className="flex flex-wrap gap-1.5" role="group" aria-label="Show tenants by state">
            <Button size="sm" variant={state ? "ghost" : "secondary"} aria-pressed={!state} onClick={() => show({})}>
              All {batch.size.toLocaleString("en-US")}
            </Button>
            {BATCH_ITEM_ORDER.filter((key) => batch.counts[key] > 0).map((key) => (
              <Button
                key={key}
                size="sm"
                variant={state === key ? "secondary" : "ghost"}
                aria-pressed={state === key}
                onClick={() => show({ state: key })}
                data-testid={`batch-filter-${key}`}
              >
                {BATCH_ITEM_STYLE[key].label} {batch.counts[key].toLocaleString("en-US")}
              </Button>
            ))}
          </div>
        </CardBody>
      </Card>

      {items.error ? <Alert tone="danger">{userMessageOf(items.error)}</Alert> : null}
      <Table aria-label="Tenants of the selection" frameClassName="rounded-xl border border-slate-200 bg-white" data-testid="batch-items">
        <TableHead>
          <TableRow>
            <TableHeaderCell className="min-w-48">Tenant</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell>Run</TableHeaderCell>
            <TableHeaderCell className="hidden min-w-64 sm:table-cell">Message</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {(items.data?.items ?? []).map((item) => (
            <TableRow key={item.tenantId} data-testid="batch-item" data-state={item.state}>
              <TableCell className="font-medium">
                <Link href={`/tenants/${item.tenantId}`} className="text-blue-700 hover:underline">
                  {item.tenantName}
                </Link>
                {item.message ? <p className="mt-0.5 text-xs font-normal break-words text-slate-600 sm:hidden">{item.message}</p> : null}
              </TableCell>
              <TableCell>
                <Badge tone={BATCH_ITEM_STYLE[item.state].tone} data-state={item.state}>
                  {BATCH_ITEM_STYLE[item.state].label}
                </Badge>
                {item.attempt > 1 ? <span className="ml-1 text-xs text-slate-500">attempt {item.attempt}</span> : null}
              </TableCell>
              <TableCell className="whitespace-nowrap">
                {item.runId && item.runState ? (
                  <Link
                    href={`/runs/${item.runId}`}
                    className="inline-flex items-center gap-1 text-blue-700 hover:underline"
                    aria-label={`Run of ${item.tenantName}`}
                  >
                    {/* While the tenant's run goes on, its own state says how far it got. */}
                    {item.state === "running" ? <RunStateBadge state={item.runState} /> : "Open run"}
                  </Link>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </TableCell>
              <TableCell className="hidden text-slate-700 sm:table-cell">{item.message ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.data && items.data.total > PAGE_SIZE && (
        <div className="flex items-center justify-end gap-2 text-sm">
          <span className="text-slate-600">
            Page {items.data.page} of {Math.ceil(items.data.total / PAGE_SIZE)}
          </span>
          <Button size="sm" disabled={items.data.page <= 1} onClick={() => show({ state, page: items.data!.page - 1 })}>
            Previous
          </Button>
          <Button size="sm" disabled={items.data.page * PAGE_SIZE >= items.data.total} onClick={() => show({ state, page: items.data!.page + 1 })}>
            Next
          </Button>
        </div>
      )}
      {!canRunRunbooks(viewer) && <p className="text-xs text-slate-500">You can follow this selection; running or steering it needs the operator role.</p>}
    </div>
  );
}

function BatchActions({
  batch,
  viewer,
  mine,
  open,
  retryable,
  pending,
  onApprove,
  onReject,
  onCancel,
  onPause,
  onResume,
  onRetry,
}: {
  batch: Batch;
  viewer: RunbookViewer;
  mine: boolean;
  open: boolean;
  retryable: number;
  pending: boolean;
  onApprove(): void;
  onReject(comment: string): void;
  onCancel(): void;
  onPause(): void;
  onResume(): void;
  onRetry(): void;
}) {
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  if (!canRunRunbooks(viewer)) return null;
  const approver = canApprove(viewer) && !mine;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {batch.state === "awaiting-approval" && approver && !rejecting && (
        <>
          <Button variant="primary" size="sm" disabled={pending} onClick={onApprove} data-testid="batch-approve">
            Approve
          </Button>
          <Button size="sm" disabled={pending} onClick={() => setRejecting(true)} data-testid="batch-reject">
            Reject…
          </Button>
        </>
      )}
      {rejecting && (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (comment.trim().length >= 3) onReject(comment.trim());
          }}
        >
          <Input aria-label="Why reject it" placeholder="Why (at least 3 characters)" value={comment} onChange={(event) => setComment(event.target.value)} />
          <Button type="submit" variant="danger" size="sm" disabled={pending || comment.trim().length < 3} data-testid="batch-reject-confirm">
            Reject
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setRejecting(false)}>
            Back
          </Button>
        </form>
      )}
      {batch.state === "running" && (
        <Button size="sm" disabled={pending} onClick={onPause} data-testid="batch-pause">
          Pause
        </Button>
      )}
      {batch.state === "paused" && (
        <Button variant="primary" size="sm" disabled={pending} onClick={onResume} data-testid="batch-resume">
          Resume
        </Button>
      )}
      {(batch.state === "paused" || batch.state === "completed") && retryable > 0 && (
        <Button size="sm" disabled={pending} onClick={onRetry} data-testid="batch-retry">
          Retry {retryable} failed
        </Button>
      )}
      {open && (mine || canApprove(viewer)) && !rejecting && (
        <Button variant="ghost" size="sm" disabled={pending} onClick={onCancel} data-testid="batch-cancel">
          Cancel the rest
        </Button>
      )}
    </div>
  );
}

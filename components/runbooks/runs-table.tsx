import Link from "next/link";
import { CopyableText } from "@/components/ui/copyable-text";

import { RelativeTime } from "@/components/tenants/relative-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import type { RunView } from "@/lib/runbooks/run-views";

import { RiskBadge, RunStateBadge } from "./run-badges";
import { runDuration } from "./run-duration";

export function RunsTable({ runs, busy, filtered }: { runs: RunView[]; busy: boolean; filtered: boolean }) {
  if (runs.length === 0) {
    return (
      <div data-testid="runs-table" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <EmptyState title={filtered ? "No run matches these filters." : "No runbook has run yet."}>
          {filtered ? "Change or clear the filters to see more." : "Runs started from a tenant's Actions menu are listed here."}
        </EmptyState>
      </div>
    );
  }
  return (
    <Table data-testid="runs-table" aria-busy={busy || undefined} frameClassName="rounded-xl border border-slate-200 bg-white shadow-sm">
      <caption className="sr-only">Runbook runs, newest first</caption>
      <TableHead>
        <tr>
          <TableHeaderCell>Runbook</TableHeaderCell>
          <TableHeaderCell>Tenant</TableHeaderCell>
          <TableHeaderCell>Requested by</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Requested</TableHeaderCell>
          <TableHeaderCell>Duration</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id} data-testid={`run-row-${run.id}`} data-state={run.state}>
            <TableCell>
              <Link href={`/runs/${run.id}`} className="font-medium text-blue-700 hover:underline">
                {run.title}
              </Link>
              {run.risk === "high" ? (
                <span className="ml-1.5">
                  <RiskBadge risk="high" />
                </span>
              ) : null}
            </TableCell>
            <TableCell>
              <Link href={`/tenants/${run.tenantId}`} className="text-blue-700 hover:underline">
                {run.tenantName}
              </Link>
            </TableCell>
            <TableCell>
              <CopyableText text={run.requestedByEmail} what="requester" className="max-w-48" />
            </TableCell>
            <TableCell>
              <RunStateBadge state={run.state} />
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <RelativeTime iso={run.requestedAt} />
            </TableCell>
            <TableCell className="font-mono text-xs whitespace-nowrap tabular-nums">
              <span suppressHydrationWarning>{runDuration(run) ?? "—"}</span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

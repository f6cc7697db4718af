"use client";

import { RelativeTime } from "@/components/tenants/relative-time";
import { CopyableText } from "@/components/ui/copyable-text";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import type { AuditEventRow, AuditOutcome } from "@/lib/audit/audit-list";

const OUTCOME_TONE: Record<AuditOutcome, BadgeTone> = { success: "success", denied: "warning", failure: "danger" };

function Details({ details }: { details: unknown }) {
  const isEmpty = details === null || (typeof details === "object" && Object.keys(details as object).length === 0);
  if (isEmpty) return <span className="text-slate-400">—</span>;
  return (
    <details>
      <summary className="cursor-pointer text-blue-700">Show</summary>
      <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap text-slate-800">{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}

export function AuditTable({ events, busy }: { events: AuditEventRow[]; busy: boolean }) {
  if (events.length === 0) {
    return (
      <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <EmptyState title="No audit events match these filters" />
      </div>
    );
  }
  return (
    <Table
      frameClassName="rounded-xl border border-slate-200 bg-white shadow-sm"
      data-testid="audit-table"
      aria-busy={busy}
      className={busy ? "opacity-60" : undefined}
    >
      <TableHead>
        <tr>
          <TableHeaderCell>Time</TableHeaderCell>
          <TableHeaderCell>Actor</TableHeaderCell>
          <TableHeaderCell>Action</TableHeaderCell>
          <TableHeaderCell>Target</TableHeaderCell>
          <TableHeaderCell>Outcome</TableHeaderCell>
          <TableHeaderCell>Source</TableHeaderCell>
          <TableHeaderCell>User agent</TableHeaderCell>
          <TableHeaderCell>Details</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {events.map((event) => (
          <TableRow key={event.id} data-testid="audit-row">
            <TableCell className="whitespace-nowrap">
              <RelativeTime iso={event.at} />
            </TableCell>
            <TableCell>
              <CopyableText text={event.actorEmail} what="actor" className="max-w-48" />
              {event.actorId === null && <span className="sr-only"> (no account)</span>}
            </TableCell>
            <TableCell className="font-mono text-xs">{event.action}</TableCell>
            <TableCell>
              <span className="text-slate-500">{event.targetKind}</span> <CopyableText text={event.targetId} what="object id" className="max-w-40" mono />
            </TableCell>
            <TableCell>
              <Badge tone={OUTCOME_TONE[event.outcome]}>{event.outcome}</Badge>
            </TableCell>
            <TableCell className="font-mono text-xs">{event.sourceAddress ?? <span className="text-slate-400">—</span>}</TableCell>
            <TableCell>
              {event.userAgent ? (
                <span title={event.userAgent} className="block max-w-48 truncate">
                  {event.userAgent}
                </span>
              ) : (
                <span className="text-slate-400">—</span>
              )}
            </TableCell>
            <TableCell>
              <Details details={event.details} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

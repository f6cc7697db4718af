"use client";

import Link from "next/link";
import { useState } from "react";
import type { FleetSummary } from "@/lib/tenants/types";
import { orphanHref } from "@/components/orphans/orphan-href";
import { RelativeTime } from "@/components/tenants/relative-time";
import { SeverityBadge } from "@/components/tenants/severity-badge";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";

const FIRST_ROWS = 15;

export function AttentionTable({ attention }: { attention: FleetSummary["attention"] }) {
  const [showAll, setShowAll] = useState(false);
  if (attention.length === 0) {
    return (
      <p data-testid="attention-table" className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        Nothing needs attention right now.
      </p>
    );
  }
  const rows = showAll ? attention : attention.slice(0, FIRST_ROWS);
  return (
    <div>
      <Table frameClassName="rounded-lg border border-slate-200 bg-white" data-testid="attention-table">
        <caption className="sr-only">Problems needing attention now, most severe first</caption>
        <TableHead>
          <tr>
            <TableHeaderCell>Tenant</TableHeaderCell>
            <TableHeaderCell>What is wrong</TableHeaderCell>
            <TableHeaderCell>Since</TableHeaderCell>
            <TableHeaderCell>Severity</TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {rows.map((problem, index) => (
            <TableRow key={`${problem.tenantId}-${problem.kind}-${problem.objectRef?.name ?? index}`}>
              <TableCell>
                {problem.kind === "orphan-workload" ? (
                  // An orphan has no registry record, so it opens its own page rather than a tenant's.
                  <Link href={orphanHref(problem.tenantId)} className="font-medium text-blue-700 hover:underline">
                    {problem.tenantName}
                    <span className="block text-xs font-normal text-slate-500">no registry record</span>
                  </Link>
                ) : (
                  <Link href={`/tenants/${problem.tenantId}`} className="font-medium text-blue-700 hover:underline">
                    {problem.tenantName}
                  </Link>
                )}
              </TableCell>
              <TableCell>
                <div className="text-slate-900">{problem.title}</div>
                {problem.detail && <div className="text-xs text-slate-500">{problem.detail}</div>}
              </TableCell>
              <TableCell className="whitespace-nowrap text-slate-600">
                <RelativeTime iso={problem.since} />
              </TableCell>
              <TableCell>
                <SeverityBadge severity={problem.severity} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {attention.length > FIRST_ROWS && (
        <button type="button" onClick={() => setShowAll((shown) => !shown)} className="mt-2 text-sm font-medium text-blue-700 hover:underline">
          {showAll ? "Show fewer" : `Show all ${attention.length} problems`}
        </button>
      )}
    </div>
  );
}

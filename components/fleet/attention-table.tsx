"use client";

import Link from "next/link";
import { useState } from "react";
import type { FleetSummary } from "@/server/tenants/types";
import { RelativeTime } from "@/components/tenants/relative-time";
import { SeverityBadge } from "@/components/tenants/severity-badge";

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
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table data-testid="attention-table" className="w-full text-left text-sm">
          <caption className="sr-only">Problems needing attention now, most severe first</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Tenant</th>
              <th scope="col" className="px-3 py-2 font-medium">What is wrong</th>
              <th scope="col" className="px-3 py-2 font-medium">Since</th>
              <th scope="col" className="px-3 py-2 font-medium">Severity</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((problem, index) => (
              <tr key={`${problem.tenantId}-${problem.kind}-${problem.objectRef?.name ?? index}`} className="align-top">
                <td className="px-3 py-2">
                  {problem.kind === "orphan-workload" ? (
                    // An orphan has no registry record, so there is no tenant page to open.
                    <span className="font-medium text-slate-700">
                      {problem.tenantName}
                      <span className="block text-xs font-normal text-slate-500">no registry record</span>
                    </span>
                  ) : (
                    <Link href={`/tenants/${problem.tenantId}`} className="font-medium text-blue-700 hover:underline">
                      {problem.tenantName}
                    </Link>
                  )}
                </td>
                <td className="px-3 py-2">
                  <div className="text-slate-900">{problem.title}</div>
                  {problem.detail && <div className="text-xs text-slate-500">{problem.detail}</div>}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                  <RelativeTime iso={problem.since} />
                </td>
                <td className="px-3 py-2">
                  <SeverityBadge severity={problem.severity} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {attention.length > FIRST_ROWS && (
        <button
          type="button"
          onClick={() => setShowAll((shown) => !shown)}
          className="mt-2 text-sm font-medium text-blue-700 hover:underline"
        >
          {showAll ? "Show fewer" : `Show all ${attention.length} problems`}
        </button>
      )}
    </div>
  );
}

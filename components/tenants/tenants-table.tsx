"use client";

import Link from "next/link";
import { useMemo } from "react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import clsx from "clsx";
import type { TenantListItem } from "@/lib/tenants/types";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { ClusterBadge } from "@/components/fleet/cluster-badge";
import { HealthBadge } from "./health-badge";
import { formatClock } from "./time-format";
import { UsageBar } from "./usage-bar";
import type { TenantSortKey } from "./tenant-list-params";
import { SORT_VALUES } from "./tenant-list-params";

/** Columns whose first click sorts descending: the most restarts, the fullest volume. */
const WORST_FIRST = new Set<TenantSortKey>(["restarts", "storage"]);

const column = createColumnHelper<TenantListItem>();

const SORTABLE = new Set<string>(SORT_VALUES);

/** The columns; with several clusters the tenant cell carries its cluster (a badge, not a column, so 390 px still fits). */
const tenantColumns = (showCluster: boolean) => [
  column.accessor("name", {
    header: "Tenant",
    cell: ({ row }) => (
      <div className="max-w-72 max-sm:max-w-40">
        <Link href={`/tenants/${row.original.id}`} className="font-medium text-blue-700 hover:underline">
          {row.original.name}
        </Link>
        <div className="flex min-w-0 items-center gap-1.5 text-xs text-slate-500">
          {showCluster && <ClusterBadge name={row.original.cluster} className="shrink-0" />}
          <span className="truncate">
            {row.original.databaseName} · {row.original.customerEmail}
          </span>
        </div>
      </div>
    ),
  }),
  column.accessor("health", {
    header: "Health",
    cell: ({ row }) => (
      <div className="space-y-0.5">
        <HealthBadge health={row.original.health} />
        {row.original.health !== "healthy" && row.original.healthReason && (
          <div className="line-clamp-2 max-w-52 text-xs text-slate-600" title={row.original.healthReason}>
            {row.original.healthReason}
          </div>
        )}
        {row.original.stale && <StaleMark stale={row.original.stale} cluster={row.original.cluster} />}
      </div>
    ),
  }),
  column.accessor("instanceType", { header: "Type", cell: (info) => <span className="capitalize">{info.getValue()}</span> }),
  column.accessor("odooVersion", { header: "Odoo", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  column.accessor("billingStatus", {
    header: "Billing",
    cell: (info) => (
      <span className={clsx("capitalize", info.getValue() === "overdue" && "font-medium text-red-700", info.getValue() === "suspended" && "text-purple-700")}>
        {info.getValue()}
      </span>
    ),
  }),
  column.display({
    id: "ready",
    header: "Ready",
    cell: ({ row }) => (
      <span className="font-mono text-xs tabular-nums">
        {row.original.readyReplicas}/{row.original.desiredReplicas}
      </span>
    ),
  }),
  column.accessor("restarts", {
    header: "Restarts",
    cell: (info) => <span className={clsx("font-mono text-xs tabular-nums", info.getValue() > 0 && "font-semibold text-amber-700")}>{info.getValue()}</span>,
  }),
  column.accessor((tenant) => tenant.storageUsedPercent, {
    id: "storage",
    header: "Storage",
    cell: ({ row }) => (
      <div className="w-24">
        <UsageBar percent={row.original.storageUsedPercent} label={`${row.original.name} storage used`} emptyText="—" />
      </div>
    ),
  }),
  column.display({
    id: "problems",
    header: "Problems",
    cell: ({ row }) => {
      const problems = row.original.problems;
      if (problems.length === 0) return <span className="text-xs text-slate-400">none</span>;
      const critical = problems.some((problem) => problem.severity === "critical");
      return (
        <span
          className={clsx(
            "inline-flex whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
            critical ? "bg-red-50 text-red-800 ring-red-600/30" : "bg-amber-50 text-amber-800 ring-amber-600/30",
          )}
          title={problems.map((problem) => problem.title).join("\n")}
        >
          {problems.length} {problems.length === 1 ? "problem" : "problems"}
        </span>
      );
    },
  }),
];

const SINGLE_CLUSTER_COLUMNS = tenantColumns(false);
const MULTI_CLUSTER_COLUMNS = tenantColumns(true);

/** The row's state is the last known one: its cluster's watches are down. */
function StaleMark({ stale, cluster }: { stale: NonNullable<TenantListItem["stale"]>; cluster: string }) {
  const since = stale.since ? ` since ${formatClock(stale.since)}` : "";
  return (
    <div
      data-testid="tenant-stale"
      className="max-w-52 text-xs font-medium text-amber-800"
      title={`Cluster ${cluster} cannot be watched${since}${stale.error ? `: ${stale.error}` : ""}. This is its last known state.`}
    >
      Last known state{since}
    </div>
  );
}

/** Rows arrive sorted and paged by the server; the table only renders them (manual mode). */
export function TenantsTable({
  tenants,
  sort,
  dir,
  onSort,
  busy,
  showCluster = false,
}: {
  tenants: TenantListItem[];
  sort: TenantSortKey;
  dir: "asc" | "desc";
  onSort: (sort: TenantSortKey, dir: "asc" | "desc") => void;
  busy: boolean;
  /** Several clusters: each tenant names its own. */
  showCluster?: boolean;
}) {
  const sorting = useMemo<SortingState>(() => [{ id: sort, desc: dir === "desc" }], [sort, dir]);
  // eslint-disable-next-line react-hooks/incompatible-library -- React Compiler is not enabled; if it is, skipping this component is what TanStack Table needs.
  const table = useReactTable({
    data: tenants,
    columns: showCluster ? MULTI_CLUSTER_COLUMNS : SINGLE_CLUSTER_COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (tenant) => tenant.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting },
  });

  return (
    <Table
      frameClassName="rounded-xl border border-slate-200 bg-white shadow-sm"
      data-testid="tenants-table"
      aria-busy={busy}
      className={clsx(busy && "opacity-60")}
    >
      <caption className="sr-only">Tenants; column headers with buttons change the sort order</caption>
      <TableHead>
        {table.getHeaderGroups().map((headerGroup) => (
          <tr key={headerGroup.id}>
            {headerGroup.headers.map((header) => {
              const sortable = SORTABLE.has(header.column.id);
              const active = sort === header.column.id;
              const label = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <TableHeaderCell
                  key={header.id}
                  aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : sortable ? "none" : undefined}
                  className="whitespace-nowrap"
                >
                  {sortable ? (
                    <button
                      type="button"
                      onClick={() => {
                        const key = header.column.id as TenantSortKey;
                        // Restarts and storage start with the worst first; the others A to Z.
                        const first = WORST_FIRST.has(key) ? "desc" : "asc";
                        onSort(key, active ? (dir === "asc" ? "desc" : "asc") : first);
                      }}
                      className={clsx("inline-flex items-center gap-1 uppercase hover:text-slate-900", active && "text-slate-900")}
                    >
                      {label}
                      <span aria-hidden className={clsx("text-[10px]", !active && "text-slate-300")}>
                        {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </TableHeaderCell>
              );
            })}
          </tr>
        ))}
      </TableHead>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-testid={`tenant-row-${row.original.databaseName}`}>
            {row.getVisibleCells().map((cell) => (
              <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

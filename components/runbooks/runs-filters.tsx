"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useState, type FormEvent } from "react";

import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { RUNBOOK_IDS } from "@/lib/runbooks/runbook-ids";
import { RUN_STATES, type RunState } from "@/lib/runbooks/run-views";

import type { RunListFilters } from "./run-list-params";
import { RUN_STATE_STYLE, runbookLabel } from "./run-style";

/** "2026-12-02T09:00:00.000Z" as the browser's local "2026-12-02T10:00" (what datetime-local shows). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}

/** Runbooks that leave a run (collect diagnostics is a download). */
const RUN_RUNBOOKS = RUNBOOK_IDS.filter((id) => id !== "collect-diagnostics");
/** Planned rows are previews nobody confirmed: never listed. */
const LISTED_STATES = RUN_STATES.filter((state) => state !== "planned");

/**
 * Tenant, runbook, requester, state and time, applied together (the URL then holds them, like the
 * Audit page). The tenant is picked by searching the tenants list, since the filter is its id.
 */
export function RunsFilters({
  values,
  tenantName,
  clearHref,
  onApply,
}: {
  values: RunListFilters;
  /** The name of the tenant the URL names, when known. */
  tenantName?: string;
  clearHref: string | null;
  onApply: (values: RunListFilters) => void;
}) {
  const [draft, setDraft] = useState(() => ({
    tenantId: values.tenantId ?? "",
    tenantName: tenantName ?? "",
    runbookId: values.runbookId ?? "",
    requestedBy: values.requestedBy ?? "",
    state: values.state ?? "",
    from: toLocalInput(values.from),
    to: toLocalInput(values.to),
  }));
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({
      tenantId: draft.tenantId || undefined,
      runbookId: draft.runbookId || undefined,
      requestedBy: draft.requestedBy.trim() || undefined,
      state: (draft.state || undefined) as RunState | undefined,
      from: fromLocalInput(draft.from),
      to: fromLocalInput(draft.to),
    });
  }

  return (
    <form
      role="search"
      aria-label="Filter the runs"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
    >
      <TenantPicker
        tenantId={draft.tenantId}
        tenantName={draft.tenantName || (draft.tenantId === values.tenantId ? tenantName : undefined)}
        onPick={(tenant) => setDraft({ ...draft, tenantId: tenant?.id ?? "", tenantName: tenant?.name ?? "" })}
      />
      <Field label="Runbook" className="w-full sm:w-48">
        {({ id }) => (
          <Select id={id} value={draft.runbookId} onChange={set("runbookId")} data-testid="runs-filter-runbookId">
            <option value="">Any runbook</option>
            {[...new Set([...RUN_RUNBOOKS, ...(draft.runbookId ? [draft.runbookId] : [])])].map((runbookId) => (
              <option key={runbookId} value={runbookId}>
                {runbookLabel(runbookId)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Requested by" className="w-full sm:w-48">
        {({ id }) => (
          <Input
            id={id}
            type="search"
            placeholder="Email contains"
            value={draft.requestedBy}
            onChange={set("requestedBy")}
            data-testid="runs-filter-requestedBy"
          />
        )}
      </Field>
      <Field label="State" className="w-full sm:w-44">
        {({ id }) => (
          <Select id={id} value={draft.state} onChange={set("state")} data-testid="runs-filter-state">
            <option value="">Any state</option>
            {LISTED_STATES.map((state) => (
              <option key={state} value={state}>
                {RUN_STATE_STYLE[state].label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="From (local time)" className="w-full sm:w-52">
        {({ id }) => <Input id={id} type="datetime-local" value={draft.from} onChange={set("from")} data-testid="runs-filter-from" />}
      </Field>
      <Field label="To (local time)" className="w-full sm:w-52">
        {({ id }) => <Input id={id} type="datetime-local" value={draft.to} onChange={set("to")} data-testid="runs-filter-to" />}
      </Field>
      <Button type="submit" variant="primary" data-testid="runs-filter-apply">
        Apply filters
      </Button>
      {clearHref !== null && (
        <Link href={clearHref} className="px-2 py-2 text-sm text-blue-700 hover:underline">
          Clear all
        </Link>
      )}
    </form>
  );
}

/** Search the tenants by name or database and pick one; the chosen one shows as a removable chip. */
function TenantPicker({
  tenantId,
  tenantName,
  onPick,
}: {
  tenantId: string;
  tenantName?: string;
  onPick: (tenant: { id: string; name: string } | null) => void;
}) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const matches = useQuery(trpc.tenants.list.queryOptions({ q, pageSize: 8 }, { enabled: q.length > 0 && !tenantId }));

  if (tenantId) {
    return (
      <div className="w-full space-y-1 sm:w-56">
        <span className="block text-xs font-medium text-slate-700">Tenant</span>
        <div
          data-testid="runs-filter-tenantId"
          data-tenant-id={tenantId}
          className="flex h-[34px] items-center gap-2 rounded-md border border-slate-300 bg-slate-50 px-2.5 text-sm"
        >
          <span className="min-w-0 flex-1 truncate" title={tenantId}>
            {tenantName || tenantId}
          </span>
          <button type="button" onClick={() => onPick(null)} aria-label="Any tenant" className="text-slate-500 hover:text-slate-900">
            ✕
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="relative w-full sm:w-56">
      <Field label="Tenant">
        {({ id }) => (
          <Input
            id={id}
            type="search"
            placeholder="Name or database"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            autoComplete="off"
            data-testid="runs-filter-tenantId"
          />
        )}
      </Field>
      {q.length > 0 ? (
        <div className="absolute z-20 mt-1 w-full rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg">
          {matches.isPending ? (
            <p className="px-2 py-1 text-slate-500">Searching…</p>
          ) : matches.error ? (
            <p className="px-2 py-1 text-red-800">{userMessageOf(matches.error)}</p>
          ) : matches.data.items.length === 0 ? (
            <p className="px-2 py-1 text-slate-500">No tenant matches.</p>
          ) : (
            <ul aria-label="Matching tenants">
              {matches.data.items.map((tenant) => (
                <li key={tenant.id}>
                  <button
                    type="button"
                    onClick={() => {
                      setSearch("");
                      onPick({ id: tenant.id, name: tenant.name });
                    }}
                    className="block w-full rounded px-2 py-1 text-left hover:bg-slate-100"
                  >
                    {tenant.name} <span className="font-mono text-xs text-slate-500">{tenant.databaseName}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}

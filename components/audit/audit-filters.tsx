"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { AuditOutcome } from "@/lib/audit/audit-list";

import { OUTCOME_VALUES, type AuditListParams } from "./audit-list-params";

export type AuditFilterValues = Pick<AuditListParams, "who" | "action" | "target" | "outcome" | "from" | "to">;

/** "2026-12-02T09:00:00.000Z" as the browser's local "2026-12-02T10:00" (what datetime-local shows). */
function toLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The datetime-local value, read in the browser's zone, as the instant the URL holds. */
function fromLocalInput(local: string): string {
  return local ? new Date(local).toISOString() : "";
}

/**
 * Who, what, target, outcome and time. Applied together on submit, so typing does not fetch on
 * every key; the URL then holds them (a link reproduces the view, the export uses the same query).
 */
export function AuditFilters({
  values,
  actions,
  clearHref,
  onApply,
}: {
  values: AuditFilterValues;
  actions: string[];
  clearHref: string | null;
  onApply: (values: AuditFilterValues) => void;
}) {
  const [draft, setDraft] = useState(() => ({ ...values, from: toLocalInput(values.from), to: toLocalInput(values.to) }));
  const set = (key: keyof typeof draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ ...draft, outcome: draft.outcome || undefined, from: fromLocalInput(draft.from), to: fromLocalInput(draft.to) });
  }

  return (
    <form
      role="search"
      aria-label="Filter the audit log"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
    >
      <Field label="Who" className="w-48">
        {({ id }) => <Input id={id} type="search" placeholder="Email contains" value={draft.who} onChange={set("who")} />}
      </Field>
      <Field label="What" className="w-48">
        {({ id }) => (
          <Select id={id} value={draft.action} onChange={set("action")}>
            <option value="">Any action</option>
            {/* A link may name an action the log no longer lists; keep it selectable. */}
            {[...new Set([...actions, ...(draft.action ? [draft.action] : [])])].map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Target" className="w-48">
        {({ id }) => <Input id={id} type="search" placeholder="Kind or id contains" value={draft.target} onChange={set("target")} />}
      </Field>
      <Field label="Outcome" className="w-36">
        {({ id }) => (
          <Select
            id={id}
            value={draft.outcome ?? ""}
            onChange={(event) => setDraft({ ...draft, outcome: (event.target.value || undefined) as AuditOutcome | undefined })}
          >
            <option value="">Any outcome</option>
            {OUTCOME_VALUES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="From (local time)" className="w-52">
        {({ id }) => <Input id={id} type="datetime-local" value={draft.from} onChange={set("from")} />}
      </Field>
      <Field label="To (local time)" className="w-52">
        {({ id }) => <Input id={id} type="datetime-local" value={draft.to} onChange={set("to")} />}
      </Field>
      <Button type="submit" variant="primary">
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

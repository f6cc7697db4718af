"use client";

import { userMessageOf } from "@/components/trpc/error-message";
import { Menu, type MenuEntry } from "@/components/ui/menu";
import { Spinner } from "@/components/ui/spinner";
import type { RunbookScope } from "@/lib/runbooks/runbook-inputs";
import type { RunbookActionView } from "@/lib/runbooks/run-views";

import { RiskBadge } from "./run-badges";
import { useTenantRunbooks } from "./tenant-runbooks";

function entryOf(action: RunbookActionView, tenantId: string, onSelect: () => void): MenuEntry {
  const badge = action.risk === "high" ? <RiskBadge risk="high" /> : undefined;
  const detail = action.available ? action.description : action.unavailableReason;
  const common = { key: action.runbookId, label: action.title, badge, detail, disabled: !action.available, testId: `action-${action.runbookId}` };
  // Read-only runbooks are a download: the route streams the archive as an attachment.
  if (action.readOnly) return { ...common, href: `/api/tenants/${encodeURIComponent(tenantId)}/diagnostics`, download: true };
  return { ...common, onSelect };
}

function stateOf(query: { isPending: boolean; error: unknown }) {
  if (query.isPending) return <Spinner size="sm" label="Loading actions" />;
  if (query.error) return <span className="text-red-800">{userMessageOf(query.error)}</span>;
  return undefined;
}

/** The tenant header's Actions button; absent for roles without runbook:run. */
export function TenantActionsMenu() {
  const runbooks = useTenantRunbooks();
  if (!runbooks?.canRun) return null;
  const { actions, tenantId, open } = runbooks;
  const entries = (actions.data ?? []).filter((action) => action.scope === "tenant").map((action) => entryOf(action, tenantId, () => open(action.runbookId)));
  return <Menu label="Actions" entries={entries} empty={stateOf(actions) ?? "No actions for this tenant."} size="sm" testId="actions-menu" />;
}

/**
 * A pod's or a volume's Actions, offering the runbooks of that scope whose targets name the row.
 * `hint` goes to the dialog (a volume's current size).
 */
export function RowActionsMenu({ scope, target, hint }: { scope: Exclude<RunbookScope, "tenant">; target: string; hint?: string }) {
  const runbooks = useTenantRunbooks();
  if (!runbooks?.canRun) return null;
  const { actions, tenantId, open } = runbooks;
  const inputKey = scope === "pod" ? "pod" : "volume";
  const entries = (actions.data ?? [])
    .filter((action) => action.scope === scope && (action.targets ?? []).includes(target))
    .map((action) => entryOf(action, tenantId, () => open(action.runbookId, { [inputKey]: target }, hint)));
  return (
    <Menu
      label="Actions"
      buttonLabel={`Actions for ${scope === "pod" ? "pod" : "volume"} ${target}`}
      entries={entries}
      empty={stateOf(actions) ?? `No actions for this ${scope}.`}
      size="sm"
      testId={`${scope}-actions-${target}`}
    />
  );
}

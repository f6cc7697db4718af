import type { GateResultView, GateState } from "@/lib/migration/gates";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONE: Record<GateState, BadgeTone> = { pass: "success", fail: "danger", unknown: "neutral" };

function label(gate: GateResultView | undefined): string {
  if (!gate || gate.state === "unknown") return "Unknown";
  if (gate.state === "pass") return "Pass";
  return gate.failingCount > 0 ? `Fail (${gate.failingCount.toLocaleString("en-US")} ${gate.failingCount === 1 ? "tenant" : "tenants"})` : "Fail";
}

/**
 * A task's automatic check: Pass / Fail (n tenants) / Unknown. Without a result (not evaluated
 * yet, or a gate the monitor does not know) it says Unknown. The accessible name carries the
 * gate's title and one-line summary, which the visible text leaves out.
 */
export function GateBadge({ gate }: { gate?: GateResultView }) {
  const state: GateState = gate?.state ?? "unknown";
  const text = label(gate);
  const name = gate ? `Gate ${gate.title}: ${text}. ${gate.summary}` : `Gate: ${text}`;
  return (
    <Badge tone={TONE[state]} role="img" aria-label={name} title={gate?.summary} data-testid="gate-badge" data-gate={gate?.key} data-state={state}>
      <span aria-hidden className="mr-1">
        {state === "pass" ? "✓" : state === "fail" ? "✗" : "?"}
      </span>
      {text}
    </Badge>
  );
}

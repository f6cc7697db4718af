import { Badge } from "@/components/ui/badge";
import type { RunbookRisk } from "@/lib/runbooks/runbook-inputs";
import type { RunState, RunStepView } from "@/lib/runbooks/run-views";

import { RISK_STYLE, RUN_STATE_STYLE, STEP_STATE_STYLE } from "./run-style";

export function RunStateBadge({ state, "data-testid": testId }: { state: RunState; "data-testid"?: string }) {
  const style = RUN_STATE_STYLE[state];
  return (
    <Badge tone={style.tone} data-testid={testId} data-state={state}>
      {style.label}
    </Badge>
  );
}

export function StepStateBadge({ state }: { state: RunStepView["state"] }) {
  const style = STEP_STATE_STYLE[state];
  return (
    <Badge tone={style.tone} data-state={state}>
      {style.label}
    </Badge>
  );
}

export function RiskBadge({ risk }: { risk: RunbookRisk }) {
  const style = RISK_STYLE[risk];
  return (
    <Badge tone={style.tone} data-risk={risk}>
      {style.label}
    </Badge>
  );
}

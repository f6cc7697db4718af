"use client";

import type { GateResultView } from "@/lib/migration/gates";

/** Placeholder: a task's automatic check, pass / fail / unknown (replaced by the gates work). */
export function GateBadge(_props: { gate?: GateResultView }) {
  return null;
}

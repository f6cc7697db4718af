"use client";

/** Placeholder: a task's automatic check, pass / fail / unknown (replaced by the gates work). */
export function GateBadge(_props: { gateKey: string }) {
  return null;
}

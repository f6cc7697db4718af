/** The runbooks' ids, without zod: the Runs page's filter imports them in the browser (runbook-inputs.ts has the schemas). */
export const RUNBOOK_IDS = [
  "restart-instance",
  "stop-instance",
  "start-instance",
  "remove-stuck-pod",
  "expand-volume",
  "back-up-now",
  "verify-instance",
  "collect-diagnostics",
] as const;

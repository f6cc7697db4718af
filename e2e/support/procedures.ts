// Every tRPC procedure the fuzz spec sends generated inputs to, by type. Plain data with no
// imports so the E2E suite does not load the server; server/trpc/fuzzed-procedures.test.ts
// compares it with appRouter, so a new procedure fails that test until it is listed here.
export const FUZZED_PROCEDURES = {
  "account.signOutEverywhere": "mutation",
  "audit.list": "query",
  "fleet.summary": "query",
  "fleet.onChange": "subscription",
  "logs.targets": "query",
  "logs.stream": "subscription",
  "registry.preview": "mutation",
  "registry.import": "mutation",
  "runbooks.actions": "query",
  "runbooks.preview": "mutation",
  "runbooks.confirm": "mutation",
  "runbooks.approve": "mutation",
  "runbooks.reject": "mutation",
  "runbooks.cancel": "mutation",
  "runbooks.run": "query",
  "runbooks.list": "query",
  "runbooks.tenantRuns": "query",
  "runbooks.onRun": "subscription",
  "runbooks.onRunsChanged": "subscription",
  "tenants.list": "query",
  "tenants.get": "query",
  "tenants.onChange": "subscription",
  "users.list": "query",
  "users.create": "mutation",
  "users.setRole": "mutation",
  "users.setDisabled": "mutation",
  "users.resetPassword": "mutation",
  "users.sessions": "query",
  "users.revokeSession": "mutation",
  "users.revokeAllSessions": "mutation",
} as const satisfies Record<string, "query" | "mutation" | "subscription">;

export type FuzzedProcedure = keyof typeof FUZZED_PROCEDURES;

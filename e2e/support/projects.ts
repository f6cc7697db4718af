// The two Playwright projects: "chromium" runs every spec against the simulator's demo fleet;
// "real-cluster" runs the specs below once more against a real kube-apiserver with the same demo
// fleet populated through its API (scripts/lib/real-fleet.ts), the portal reading it as its
// ServiceAccount. npm test sets FLEETDECK_REAL_CLUSTER=1 once the control plane's binaries are
// built; a spec's simulator-only test says so with test.skip and the reason (see fixtures.ts).

export const realClusterProject = process.env.FLEETDECK_REAL_CLUSTER === "1" && process.env.FLEETDECK_E2E_EXTERNAL !== "1";

/** What the real-cluster project runs: sign-in, the fleet overview, tenants, a tenant live, logs, the runbooks. */
export const REAL_CLUSTER_SPECS = ["auth.spec.ts", "fleet.spec.ts", "tenants.spec.ts", "tenant.spec.ts", "logs.spec.ts", "runbooks.spec.ts"];

import "server-only";

import type { Role } from "@/lib/auth/permissions";

/**
 * The demo sign-ins `seedDemoUsers` creates. Shown on the sign-in page only when
 * FLEETDECK_DEMO=1; never enable that outside a demo.
 */
export const DEMO_PASSWORD = "fleetdeck-demo";
export const DEMO_ACCOUNTS: { email: string; role: Role }[] = [
  { email: "admin@fleetdeck.local", role: "admin" },
  // A second admin: high-risk runbook runs need someone other than the requester to approve them.
  { email: "approver@fleetdeck.local", role: "admin" },
  { email: "operator@fleetdeck.local", role: "operator" },
  { email: "pm@fleetdeck.local", role: "pm" },
  { email: "viewer@fleetdeck.local", role: "viewer" },
];

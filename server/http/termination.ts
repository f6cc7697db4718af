import "server-only";

import { env } from "@/server/env";
import { drainProcess, processDrain } from "@/server/http/drain";
import { serverLog } from "@/server/log";
import { runtime } from "@/server/runtime";

/**
 * With NEXT_MANUAL_SIG_HANDLE set (the image and the Helm chart set it), Next leaves SIGTERM and
 * SIGINT to the app: readiness turns false first, then requests are refused, streams end, runbook
 * verifications go back to the database, and the process exits (./drain.ts). Called once, from the
 * start-up hook; kept out of instrumentation.ts so its Edge build sees no Node API.
 */
export function drainOnTermination(): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void drainProcess({
      drain: processDrain(),
      // Ctrl-C at a terminal has no load balancer to wait for.
      delayMs: signal === "SIGTERM" ? env.FLEETDECK_DRAIN_DELAY_SECONDS * 1000 : 0,
      inFlightTimeoutMs: 10_000,
      handBack: () => runtime().handBackWork(),
      log: (message) => serverLog().info({ signal }, message),
    })
      .then(() => runtime().stop())
      .catch((error: unknown) => serverLog().error({ err: error }, "draining failed"))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

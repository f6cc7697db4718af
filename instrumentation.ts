// Runs once when the portal's server starts: record each request's TCP peer, migrate the database (the project's own runner, safe
// across replicas) and start the watch-fed cluster cache, so the first page view finds it warm.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so no request is served without its TCP peer recorded (the sign-in throttle keys on it).
  const { installPeerAddressHeader } = await import("./server/http/client-address");
  installPeerAddressHeader();
  const { runtime } = await import("./server/runtime");
  try {
    await runtime().migrateDb();
  } catch (error) {
    // Pages show the database error as a banner; the process stays up so the cause is visible.
    console.error(`[fleetdeck] database migrations failed: ${error instanceof Error ? error.message : error}`);
  }
  runtime().start();
  // With NEXT_MANUAL_SIG_HANDLE set (the image and the Helm chart set it), Next leaves SIGTERM and
  // SIGINT to the app: readiness turns false first, then requests are refused, streams end, runbook
  // verifications go back to the database, and the process exits (server/http/drain.ts).
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { drainProcess, processDrain } = await import("./server/http/drain");
    const { env } = await import("./server/env");
    const { serverLog } = await import("./server/log");
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
}

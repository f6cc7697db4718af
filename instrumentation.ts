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
  // With NEXT_MANUAL_SIG_HANDLE set (the image and the Helm chart set it), SIGTERM drains the
  // process before it exits (server/http/termination.ts).
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { drainOnTermination } = await import("./server/http/termination");
    drainOnTermination();
  }
}

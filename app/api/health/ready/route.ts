import { checkReadiness } from "@/server/http/readiness";

// Readiness for load balancers and the kubelet: the database answers and the watch caches are warm.
// Public like /api/health; it names what it waits for, never a tenant.
export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness.ready ? { status: "ready" } : { status: "waiting", waitingFor: readiness.waitingFor }, {
    status: readiness.ready ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}

// Liveness for load balancers and the stack launcher. Public by design, so it reveals nothing
// about tenants: only whether the process answers.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

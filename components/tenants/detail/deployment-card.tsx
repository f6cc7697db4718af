import clsx from "clsx";
import type { TenantDetail } from "@/lib/tenants/types";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { Panel } from "../panel";
import { RelativeTime } from "../relative-time";

type DeploymentView = NonNullable<TenantDetail["deployment"]>;

const STATUS_TEXT: Record<DeploymentView["status"], { label: string; className: string }> = {
  available: { label: "Available", className: "bg-green-50 text-green-800 ring-green-600/30" },
  progressing: { label: "Rolling out", className: "bg-blue-50 text-blue-800 ring-blue-600/30" },
  "scaled-to-zero": { label: "Scaled to zero", className: "bg-slate-100 text-slate-700 ring-slate-500/30" },
  paused: { label: "Paused", className: "bg-slate-100 text-slate-700 ring-slate-500/30" },
  "rollout-stuck": { label: "Rollout stuck", className: "bg-red-50 text-red-800 ring-red-600/30" },
  unavailable: { label: "Unavailable", className: "bg-red-50 text-red-800 ring-red-600/30" },
};

export function DeploymentCard({ deployment }: { deployment: TenantDetail["deployment"] }) {
  if (!deployment) {
    return (
      <Panel title="Deployment" data-testid="deployment-card">
        <p className="text-sm text-slate-600">No Deployment exists for this tenant in the cluster.</p>
      </Panel>
    );
  }
  const status = STATUS_TEXT[deployment.status] ?? STATUS_TEXT.unavailable;
  const replicas: [string, number][] = [
    ["Desired", deployment.desired],
    ["Ready", deployment.ready],
    ["Updated", deployment.updated],
    ["Available", deployment.available],
  ];
  return (
    <Panel
      title="Deployment"
      data-testid="deployment-card"
      actions={<span className={clsx("rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", status.className)}>{status.label}</span>}
    >
      <p className="mb-3 font-mono text-xs text-slate-600">{deployment.name}</p>
      {deployment.rolloutStuck && (
        <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          {deployment.rolloutStuck.message}
        </p>
      )}
      <dl className="grid grid-cols-4 gap-2 text-center">
        {replicas.map(([label, count]) => (
          <div key={label} className="rounded-lg bg-slate-50 py-2">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd
              className={clsx(
                "font-mono text-lg font-semibold tabular-nums",
                label !== "Desired" && count < deployment.desired ? "text-amber-700" : "text-slate-900",
              )}
            >
              {count}
            </dd>
          </div>
        ))}
      </dl>
      <dl className="mt-3 space-y-1.5 text-sm">
        <Fact term="Image">
          <span className="font-mono text-xs">{deployment.image}</span>
        </Fact>
        <Fact term="Requests">{formatResources(deployment.resources.requests)}</Fact>
        <Fact term="Limits">{formatResources(deployment.resources.limits)}</Fact>
        <Fact term="Last rollout">
          {deployment.lastRollout ? (
            <>
              revision {deployment.lastRollout.revision ?? deployment.revision ?? "?"}, <RelativeTime iso={deployment.lastRollout.at} />{" "}
              <span className="font-mono text-xs text-slate-500">({deployment.lastRollout.replicaSet})</span>
            </>
          ) : (
            <span className="text-slate-500">revision {deployment.revision ?? "unknown"}</span>
          )}
        </Fact>
      </dl>
      {deployment.conditions.length > 0 && (
        <Table density="compact" frameClassName="mt-3" className="text-xs">
          <caption className="mb-1 text-left text-xs font-medium text-slate-500">Conditions</caption>
          <TableHead>
            <tr>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Reason</TableHeaderCell>
              <TableHeaderCell>Changed</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {deployment.conditions.map((condition) => (
              <TableRow key={condition.type} title={condition.message}>
                <TableCell>{condition.type}</TableCell>
                <TableCell className={clsx(condition.status === "True" ? "text-green-700" : "font-medium text-red-700")}>{condition.status}</TableCell>
                <TableCell>{condition.reason ?? "—"}</TableCell>
                <TableCell className="whitespace-nowrap">
                  <RelativeTime iso={condition.lastTransitionTime} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-500">{term}</dt>
      <dd className="min-w-0 break-all text-slate-900">{children}</dd>
    </div>
  );
}

function formatResources(resources: Record<string, string> | undefined): string {
  if (!resources || Object.keys(resources).length === 0) return "none set";
  return Object.entries(resources)
    .map(([name, quantity]) => `${name} ${quantity}`)
    .join(", ");
}

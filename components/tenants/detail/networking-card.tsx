import type { TenantDetail } from "@/lib/tenants/types";
import { Panel } from "../panel";
import { RelativeTime } from "../relative-time";

/** How users reach the tenant (Service, Ingress hosts) and whether its backups run. */
export function NetworkingCard({ tenant }: { tenant: TenantDetail }) {
  const { service, ingressHosts, backups } = tenant;
  return (
    <Panel title="Service, ingress and backups" data-testid="networking-card">
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Service</dt>
          <dd>
            {service ? (
              <span className="font-mono text-xs">
                {service.name}
                {service.ports.map((port) => ` :${port.port}${port.targetPort ? `→${port.targetPort}` : ""}`).join("")}
                {service.clusterIP && (
                  <span className="text-slate-500">
                    {" "}
                    ({service.type ?? "ClusterIP"} {service.clusterIP})
                  </span>
                )}
              </span>
            ) : (
              <span className="text-amber-700">No Service</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Ingress host</dt>
          <dd>
            {ingressHosts.length === 0 ? (
              <span className="text-amber-700">No Ingress</span>
            ) : (
              <ul>
                {ingressHosts.map((host) => (
                  <li key={host}>
                    <a href={`https://${host}`} target="_blank" rel="noreferrer noopener" className="text-blue-700 hover:underline">
                      {host}
                      <span className="sr-only"> (opens in a new tab)</span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Recent backups</dt>
          <dd>
            {backups.length === 0 ? (
              <span className="text-slate-500">No backup jobs seen</span>
            ) : (
              <ul className="space-y-0.5">
                {backups.slice(0, 5).map((backup) => (
                  <li key={backup.name} className="flex gap-2 text-xs">
                    <span
                      className={backup.status === "failed" ? "font-medium text-red-700" : backup.status === "running" ? "text-blue-700" : "text-green-700"}
                    >
                      {backup.status}
                    </span>
                    <span className="font-mono text-slate-600">{backup.name}</span>
                    <RelativeTime iso={backup.finishedAt ?? backup.startedAt} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </Panel>
  );
}

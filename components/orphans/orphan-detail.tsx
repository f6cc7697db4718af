import Link from "next/link";
import type { OrphanDetail } from "@/lib/tenants/types";
import { CopyButton } from "@/components/ui/copy-button";
import { DeploymentCard } from "@/components/tenants/detail/deployment-card";
import { EventsTable } from "@/components/tenants/detail/events-table";
import { PodsTable } from "@/components/tenants/detail/pods-table";
import { PvcsTable } from "@/components/tenants/detail/pvcs-table";
import { Panel } from "@/components/tenants/panel";
import { RelativeTime } from "@/components/tenants/relative-time";

/**
 * An orphan: workloads labelled with an instance id the registry lacks. Read-only (a server
 * component): runbooks and the log viewer are for registry tenants, so the pod rows offer the
 * kubectl commands instead.
 */
export function OrphanDetailView({ orphan }: { orphan: OrphanDetail }) {
  const title = orphan.workloads[0]?.name ?? orphan.instanceId;
  const since = orphan.workloads
    .map((w) => w.since)
    .filter(Boolean)
    .sort()[0];
  return (
    <div className="space-y-4" data-testid="orphan-detail">
      <div>
        <Link href="/" className="text-sm text-blue-700 hover:underline">
          ← Fleet overview
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <h1 tabIndex={-1} className="min-w-0 break-all font-mono text-xl font-semibold text-slate-900 outline-none">
            {title}
          </h1>
          <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-600/20">Orphan workload</span>
        </div>
        <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600">
          <span>
            Instance id <span className="font-mono">{orphan.instanceId}</span>
          </span>
          <CopyButton text={orphan.instanceId} label={`Copy instance id ${orphan.instanceId}`} />
          {orphan.namespace && (
            <span>
              · namespace <span className="font-mono">{orphan.namespace}</span>
            </span>
          )}
          <span>· cluster {orphan.cluster}</span>
          {since && (
            <span>
              · since <RelativeTime iso={since} />
            </span>
          )}
        </p>
      </div>

      <Panel title="How it was found" data-testid="orphan-found-by">
        <p className="text-sm text-slate-800">{orphan.foundBy.reason}</p>
        <p className="mt-2 text-sm text-slate-600">
          A tenant&apos;s workloads are matched to the registry by the label <span className="font-mono">{orphan.foundBy.labelKey}</span>. Either the record is
          missing from the registry export (re-import it on the Registry page) or the workload outlived its tenant and can be removed from the cluster.
        </p>
        {orphan.namespace && (
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <CopyButton
              text={`kubectl -n ${orphan.namespace} get all -l ${orphan.foundBy.labelKey}=${orphan.instanceId}`}
              label="Copy the kubectl command listing its objects"
              idleText="kubectl get all"
            />
          </p>
        )}
      </Panel>

      {orphan.deployments.length === 0 ? (
        <DeploymentCard deployment={undefined} />
      ) : (
        orphan.deployments.map((deployment) => <DeploymentCard key={deployment.name} deployment={deployment} />)
      )}
      <PodsTable pods={orphan.pods} namespace={orphan.namespace} />
      <PvcsTable pvcs={orphan.pvcs} />
      <Panel title="Service and ingress">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Services</dt>
          <dd className="break-all font-mono text-xs">{orphan.services.join(", ") || "none"}</dd>
          <dt className="text-slate-500">Ingress hosts</dt>
          <dd className="break-all font-mono text-xs">{orphan.ingressHosts.join(", ") || "none"}</dd>
        </dl>
      </Panel>
      <EventsTable events={orphan.events} />
    </div>
  );
}

export function OrphanNotFound({ id, message }: { id: string; message: string }) {
  return (
    <div role="alert" data-testid="orphan-not-found" className="rounded-xl border border-slate-200 bg-white p-10 text-center">
      <h1 className="text-lg font-semibold text-slate-900">No orphan workload with this id</h1>
      <p className="mt-1 text-sm text-slate-600">{message}</p>
      <p className="mt-4 flex justify-center gap-4 text-sm font-medium">
        <Link href={`/tenants/${encodeURIComponent(id)}`} className="text-blue-700 hover:underline">
          Open it as a tenant
        </Link>
        <Link href="/" className="text-blue-700 hover:underline">
          ← Fleet overview
        </Link>
      </p>
    </div>
  );
}

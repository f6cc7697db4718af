import clsx from "clsx";
import Link from "next/link";
import type { TenantDetail } from "@/server/tenants/types";
import { Panel } from "../panel";
import { RelativeTime } from "../relative-time";
import { PodStatusBadge } from "./pod-status-badge";

/** `logsHref`: the tenant's log viewer when the user may read logs; each pod links to its own view. */
export function PodsTable({ pods, logsHref }: { pods: TenantDetail["pods"]; logsHref?: string }) {
  return (
    <Panel title="Pods" actions={<span className="text-xs text-slate-500">{pods.length} {pods.length === 1 ? "pod" : "pods"}</span>}>
      {pods.length === 0 ? (
        <p data-testid="pods-table" className="text-sm text-slate-600">
          No pods are running for this tenant.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table data-testid="pods-table" className="w-full text-left text-sm">
            <caption className="sr-only">Pods of this tenant</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">Pod</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Status</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Phase</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Ready</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Restarts</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Last termination</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Node</th>
                <th scope="col" className="py-1.5 font-medium">Age</th>
                {logsHref && (
                  <th scope="col" className="py-1.5 pl-3 font-medium">
                    <span className="sr-only">Logs</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pods.map((pod) => (
                <tr key={pod.name} data-testid={`pod-row-${pod.name}`} className="align-top">
                  <td className="py-1.5 pr-3 font-mono text-xs">{pod.name}</td>
                  <td className="py-1.5 pr-3">
                    <PodStatusBadge status={pod.status} podName={pod.name} />
                    {pod.message && (
                      <p className="mt-0.5 max-w-72 text-xs text-slate-600" title={pod.message}>
                        {pod.message.length > 140 ? `${pod.message.slice(0, 140)}…` : pod.message}
                      </p>
                    )}
                  </td>
                  <td className="py-1.5 pr-3">{pod.phase}</td>
                  <td className={clsx("py-1.5 pr-3 font-mono text-xs tabular-nums", !pod.podReady && "text-amber-700")}>{pod.ready}</td>
                  <td className={clsx("py-1.5 pr-3 font-mono text-xs tabular-nums", pod.restarts > 0 && "font-semibold text-amber-700")}>
                    {pod.restarts}
                    {pod.lastRestartAt && (
                      <span className="font-sans font-normal text-slate-500">
                        {" "}
                        (<RelativeTime iso={pod.lastRestartAt} />)
                      </span>
                    )}
                  </td>
                  <td className="py-1.5 pr-3 text-xs">
                    {pod.lastTermination ? (
                      <>
                        <span className="font-medium">{pod.lastTermination.reason}</span> (exit {pod.lastTermination.exitCode}
                        {pod.lastTermination.finishedAt && (
                          <>
                            , <RelativeTime iso={pod.lastTermination.finishedAt} />
                          </>
                        )}
                        )
                      </>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{pod.nodeName ?? <span className="font-sans text-slate-400">not scheduled</span>}</td>
                  <td className="whitespace-nowrap py-1.5 text-xs">
                    <RelativeTime iso={pod.createdAt} style="age" />
                  </td>
                  {logsHref && (
                    <td className="py-1.5 pl-3 text-xs">
                      <Link
                        href={`${logsHref}?pod=${encodeURIComponent(pod.name)}`}
                        aria-label={`Logs of ${pod.name}`}
                        data-testid={`pod-logs-${pod.name}`}
                        className="font-medium text-blue-700 hover:underline"
                      >
                        Logs
                      </Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

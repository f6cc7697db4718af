import clsx from "clsx";
import type { ReactNode } from "react";
import Link from "next/link";
import type { TenantDetail } from "@/lib/tenants/types";
import { CopyButton } from "@/components/ui/copy-button";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { Panel } from "../panel";
import { RelativeTime } from "../relative-time";
import { PodStatusBadge } from "./pod-status-badge";

/**
 * `logsHref`: the tenant's log viewer when the user may read logs; each pod links to its own view.
 * `rowActions`: a pod's Actions menu (it renders nothing for roles that may not run runbooks).
 */
export function PodsTable({
  pods,
  namespace,
  logsHref,
  rowActions,
}: {
  pods: TenantDetail["pods"];
  /** The tenant's namespace, for the kubectl commands a pod row offers to copy. */
  namespace?: string;
  logsHref?: string;
  rowActions?: (pod: TenantDetail["pods"][number]) => ReactNode;
}) {
  return (
    <Panel
      title="Pods"
      actions={
        <span className="text-xs text-slate-500">
          {pods.length} {pods.length === 1 ? "pod" : "pods"}
        </span>
      }
    >
      {pods.length === 0 ? (
        <p data-testid="pods-table" className="text-sm text-slate-600">
          No pods are running for this tenant.
        </p>
      ) : (
        <Table density="compact" data-testid="pods-table">
          <caption className="sr-only">Pods of this tenant</caption>
          <TableHead>
            <tr>
              <TableHeaderCell>Pod</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Phase</TableHeaderCell>
              <TableHeaderCell>Ready</TableHeaderCell>
              <TableHeaderCell>Restarts</TableHeaderCell>
              <TableHeaderCell>Last termination</TableHeaderCell>
              <TableHeaderCell>Node</TableHeaderCell>
              <TableHeaderCell>Age</TableHeaderCell>
              {logsHref && (
                <TableHeaderCell>
                  <span className="sr-only">Logs</span>
                </TableHeaderCell>
              )}
              {rowActions && (
                <TableHeaderCell>
                  <span className="sr-only">Actions</span>
                </TableHeaderCell>
              )}
            </tr>
          </TableHead>
          <TableBody>
            {pods.map((pod) => (
              <TableRow key={pod.name} data-testid={`pod-row-${pod.name}`}>
                <TableCell className="font-mono text-xs">
                  <span className="break-all">{pod.name}</span>
                  {namespace ? (
                    <span className="mt-1 flex flex-wrap gap-1 font-sans">
                      <CopyButton
                        text={`kubectl -n ${namespace} logs ${pod.name}`}
                        label={`Copy the kubectl logs command for ${pod.name}`}
                        idleText="kubectl logs"
                        data-testid={`copy-kubectl-logs-${pod.name}`}
                      />
                      <CopyButton
                        text={`kubectl -n ${namespace} describe pod ${pod.name}`}
                        label={`Copy the kubectl describe command for ${pod.name}`}
                        idleText="kubectl describe"
                        data-testid={`copy-kubectl-describe-${pod.name}`}
                      />
                    </span>
                  ) : null}
                </TableCell>
                <TableCell>
                  <PodStatusBadge status={pod.status} podName={pod.name} />
                  {pod.message && (
                    <p className="mt-0.5 max-w-72 text-xs text-slate-600" title={pod.message}>
                      {pod.message.length > 140 ? `${pod.message.slice(0, 140)}…` : pod.message}
                    </p>
                  )}
                </TableCell>
                <TableCell>{pod.phase}</TableCell>
                <TableCell className={clsx("font-mono text-xs tabular-nums", !pod.podReady && "text-amber-700")}>{pod.ready}</TableCell>
                <TableCell className={clsx("font-mono text-xs tabular-nums", pod.restarts > 0 && "font-semibold text-amber-700")}>
                  {pod.restarts}
                  {pod.lastRestartAt && (
                    <span className="font-sans font-normal text-slate-500">
                      {" "}
                      (<RelativeTime iso={pod.lastRestartAt} />)
                    </span>
                  )}
                </TableCell>
                <TableCell className="text-xs">
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
                </TableCell>
                <TableCell className="font-mono text-xs">{pod.nodeName ?? <span className="font-sans text-slate-400">not scheduled</span>}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  <RelativeTime iso={pod.createdAt} style="age" />
                </TableCell>
                {logsHref && (
                  <TableCell className="text-xs">
                    <Link
                      href={`${logsHref}?pod=${encodeURIComponent(pod.name)}`}
                      aria-label={`Logs of ${pod.name}`}
                      data-testid={`pod-logs-${pod.name}`}
                      className="font-medium text-blue-700 hover:underline"
                    >
                      Logs
                    </Link>
                  </TableCell>
                )}
                {rowActions && <TableCell className="text-right">{rowActions(pod)}</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

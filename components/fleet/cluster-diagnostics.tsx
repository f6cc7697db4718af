"use client";

import { useSuspenseQuery } from "@tanstack/react-query";

import { formatAbsolute } from "@/components/tenants/time-format";
import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

/**
 * The admins' view of each cluster connection: where it connects and every feed's state, with the
 * full error (the API address, the socket error, the API's message) that viewers never see: the
 * freshness banner tells them only "the Kubernetes API is unreachable".
 */
export function ClusterDiagnostics() {
  const trpc = useTRPC();
  const { data: clusters } = useSuspenseQuery(trpc.fleet.diagnostics.queryOptions(undefined, { refetchInterval: 5_000 }));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Diagnostics</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Each cluster connection and its watches, with the full errors. Everyone else sees only what is stale and why in plain words; the addresses and socket
        errors below stay on this page and in the server log.
      </p>
      {clusters.map((cluster) => (
        <Card key={cluster.name} aria-labelledby={`cluster-${cluster.name}`} data-testid="cluster-diagnostics">
          <CardHeader
            titleId={`cluster-${cluster.name}`}
            title={
              <>
                Cluster {cluster.name} {cluster.warm ? <Badge tone="success">warm</Badge> : <Badge tone="warning">warming up</Badge>}
              </>
            }
            description={
              <>
                {cluster.context ? <>context {cluster.context} · </> : null}
                {cluster.server ? <span className="font-mono">{cluster.server}</span> : "no connection details"}
              </>
            }
          />
          <CardBody className="overflow-x-auto p-0">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs text-slate-600">
                <tr>
                  <th className="px-4 py-2 font-medium">Feed</th>
                  <th className="px-4 py-2 font-medium">State</th>
                  <th className="px-4 py-2 font-medium">Objects</th>
                  <th className="px-4 py-2 font-medium">Last event</th>
                  <th className="px-4 py-2 font-medium">Error</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {cluster.feeds.map((feed) => (
                  <tr key={feed.kind} data-testid={`feed-${feed.kind}`} data-stale={feed.stale}>
                    <td className="px-4 py-2 font-mono text-xs">{feed.kind}</td>
                    <td className="px-4 py-2">
                      {!feed.synced ? (
                        <Badge tone="warning">not listed yet</Badge>
                      ) : feed.stale ? (
                        <Badge tone="danger">
                          stale
                          {feed.staleSince ? (
                            <>
                              {" "}
                              since{" "}
                              <time dateTime={feed.staleSince} title={formatAbsolute(feed.staleSince)}>
                                {new Date(feed.staleSince).toLocaleTimeString("en-GB")}
                              </time>
                            </>
                          ) : null}
                        </Badge>
                      ) : (
                        <Badge tone="success">live</Badge>
                      )}
                    </td>
                    <td className="px-4 py-2 tabular-nums">{feed.objects}</td>
                    <td className="px-4 py-2 text-xs">
                      <RelativeTime iso={feed.lastEventAt} />
                    </td>
                    <td className="px-4 py-2 text-xs">
                      {feed.error ? (
                        <>
                          <p>{feed.error}</p>
                          {feed.detail && feed.detail !== feed.error ? <p className="mt-0.5 font-mono break-all text-slate-600">{feed.detail}</p> : null}
                        </>
                      ) : (
                        <span className="text-slate-400">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </CardBody>
        </Card>
      ))}
    </div>
  );
}

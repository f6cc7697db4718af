import { afterAll, describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";
import { ClusterSources } from "@/server/kube/cluster-sources";
import type { ClusterSource } from "@/server/kube/cluster-source";
import { clusterBasics, tenantFixture, warmStore } from "@/scripts/test-support/cluster-fixtures";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import type { TrackedLogEvent } from "./log-view-session";
import { LogHub } from "./log-hub";
import { listLogTargets, openLogStream, type LogServices } from "./log-service";
import { containerLogSource } from "./upstream-stream";

// The log viewer's entry points over a fixture cluster source: no API server, no watch.
const tenant = tenantFixture("logs-service");
const pod = tenant.objects.find((object) => object.resource === "pods")!.raw.metadata as { name: string; namespace: string };
const cluster = warmStore([...clusterBasics(), ...tenant.objects], {
  podLogs: { [`${pod.namespace}/${pod.name}/odoo`]: ["2026-11-23T10:00:01.000000000Z Odoo starting", "2026-11-23T10:00:02.000000000Z HTTP service running"] },
});
const tenants = new TenantDirectory({ clusters: [cluster], loadRegistry: async () => [tenant.record] });
const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "user"] });
const hubs: LogHub[] = [];
const services: LogServices = {
  db,
  tenants,
  clusters: new ClusterSources([cluster]),
  logHub: (source: ClusterSource) => {
    const hub = new LogHub({ maxUpstreams: 2, source: containerLogSource(source) });
    hubs.push(hub);
    return hub;
  },
};

afterAll(() => {
  for (const hub of hubs) hub.close();
  tenants.stop();
});

async function readAll(events: AsyncGenerator<TrackedLogEvent>): Promise<TrackedLogEvent["event"][]> {
  const seen: TrackedLogEvent["event"][] = [];
  for await (const { event } of events) seen.push(event);
  return seen;
}

describe("log service over a cluster source", () => {
  it("lists the tenant's pods and containers from its cluster", async () => {
    const targets = await listLogTargets(services, tenant.record.id);
    expect(targets.map((target) => [target.pod, target.containers.map((container) => container.name)])).toEqual([[pod.name, ["odoo"]]]);
  });

  it("reads a container's log through the cluster's hub and records the access", async () => {
    const actor = await db.user.create({ data: { email: "operator@test.local", name: "operator", role: "operator" } });
    const opened = await openLogStream(
      services,
      actor,
      { tenantId: tenant.record.id, pod: pod.name, container: "odoo", follow: false },
      "download",
      new AbortController().signal,
    );
    const events = await readAll(opened.events);
    const lines = events.flatMap((event) => (event.type === "lines" ? event.lines.map((line) => line.text) : []));
    expect(lines).toEqual(["Odoo starting", "HTTP service running"]);
    expect(opened.databaseName).toBe("logs-service");
    expect(await db.auditEvent.findMany()).toMatchObject([
      { action: "logs.read", actorId: actor.id, targetId: tenant.record.id, details: { via: "download" } },
    ]);
  });

  it("ends at once, saying so, for a pod the tenant's cluster does not have", async () => {
    const actor = await db.user.create({ data: { email: "operator@test.local", name: "operator", role: "operator" } });
    const opened = await openLogStream(services, actor, { tenantId: tenant.record.id, pod: "odoo-gone", follow: true }, "stream", new AbortController().signal);
    expect(await readAll(opened.events)).toEqual([{ type: "status", state: "ended", message: "Pod odoo-gone does not exist in this tenant (any more)." }]);
  });
});

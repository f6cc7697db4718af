import { describe, expect, it } from "vitest";

import { ClusterSources } from "./cluster-sources";
import { FixtureCluster } from "@/scripts/test-support/fixture-cluster";

const cluster = (name: string) => new FixtureCluster({ name, tenantLabelKey: "saasodoo.instance.id", feeds: ["pods"] });

describe("ClusterSources", () => {
  it("finds a tenant's cluster by the name its registry row carries, among several", () => {
    const home = cluster("default");
    const second = cluster("eu-2");
    const sources = new ClusterSources([home, second]);
    expect(sources.all()).toEqual([home, second]);
    expect(sources.get("default")).toBe(home);
    expect(sources.forTenant({ databaseName: "acme", cluster: "eu-2" })).toBe(second);
  });

  it("says in plain words that the portal has no cluster by that name", () => {
    const sources = new ClusterSources([cluster("default")]);
    expect(() => sources.forTenant({ databaseName: "acme", cluster: "eu-2" })).toThrow(
      expect.objectContaining({
        code: "NOT_FOUND",
        message: 'tenant acme runs in cluster "eu-2", which is not configured (configured: "default")',
        userMessage: 'Tenant acme runs in cluster "eu-2", which this portal is not connected to.',
      }),
    );
    expect(() => sources.get("eu-2")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND", userMessage: 'The portal is not connected to a cluster named "eu-2".' }),
    );
  });

  it("refuses two clusters under one name", () => {
    expect(() => new ClusterSources([cluster("default"), cluster("default")])).toThrow('two clusters are configured under the name "default"');
  });
});

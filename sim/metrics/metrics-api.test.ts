import { afterEach, describe, expect, it } from "vitest";
import { startFleet, type RunningFleet } from "../fleet/index";
import { LogStore } from "../logs/log-store";
import { ObjectStore } from "../store/object-store";

let fleet: RunningFleet | undefined;
afterEach(() => fleet?.stop());

describe("nodeStatsSummary", () => {
  it("follows a change to one of the node's pods, not only pods added or removed", () => {
    const store = new ObjectStore();
    fleet = startFleet({ store, logs: new LogStore(), tenants: 10, scenario: "healthy", seed: 1, speed: { lifecycle: 0.1, backoff: 0.01, slow: 0.01 } });
    const pod = store.list("core/pods").find((p) => p.metadata.namespace?.startsWith("tenant-") && p.status?.phase === "Running")!;
    const podsOnNode = () => (fleet!.hooks.nodeStatsSummary(pod.spec.nodeName) as { pods: { podRef: { name: string } }[] }).pods.map((p) => p.podRef.name);
    expect(podsOnNode()).toContain(pod.metadata.name);

    store.mutate("core/pods", pod.metadata.namespace, pod.metadata.name, (draft) => {
      draft.status.phase = "Failed";
    });
    expect(podsOnNode()).not.toContain(pod.metadata.name);
  });
});

import { describe, expect, it } from "vitest";
import { dryRunBody, requestFor } from "./cluster-writes";

describe("dryRunBody", () => {
  const forceDelete = requestFor({ type: "force-delete-pod", namespace: "t", name: "p", uid: "u" }).request;
  const evict = requestFor({ type: "evict-pod", namespace: "t", name: "p", uid: "u" }).request;
  const scale = requestFor({ type: "scale-deployment", namespace: "t", name: "d", replicas: 0 }).request;

  it("puts dryRun into a DELETE's DeleteOptions, which replace the query on a real API server", () => {
    expect(dryRunBody(forceDelete, true)).toEqual({ ...(forceDelete.body as object), dryRun: ["All"] });
    expect(dryRunBody(forceDelete, true)).toMatchObject({ gracePeriodSeconds: 0, preconditions: { uid: "u" } });
  });

  it("puts dryRun into an Eviction's deleteOptions", () => {
    expect(dryRunBody(evict, true)).toMatchObject({ kind: "Eviction", deleteOptions: { preconditions: { uid: "u" }, dryRun: ["All"] } });
  });

  it("leaves real changes and patches alone", () => {
    expect(dryRunBody(forceDelete, false)).toBe(forceDelete.body);
    expect(dryRunBody(evict, false)).toBe(evict.body);
    expect(dryRunBody(scale, true)).toBe(scale.body);
    // The request shown in the preview stays the one a confirmation sends.
    expect(forceDelete.body).not.toHaveProperty("dryRun");
  });

  it("sends no uid precondition before the preview has read the pod (a real API server refuses an empty one)", () => {
    const unpinned = requestFor({ type: "evict-pod", namespace: "t", name: "p", uid: "" }).request;
    expect(unpinned.body).toMatchObject({ deleteOptions: { preconditions: {} } });
    expect((unpinned.body as { deleteOptions: { preconditions: object } }).deleteOptions.preconditions).not.toHaveProperty("uid");
    const deleting = requestFor({ type: "force-delete-pod", namespace: "t", name: "p", uid: "" }).request;
    expect((deleting.body as { preconditions: object }).preconditions).toEqual({});
    expect(forceDelete.body).toMatchObject({ preconditions: { uid: "u" } });
  });
});

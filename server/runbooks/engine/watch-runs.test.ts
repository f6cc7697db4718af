/**
 * RunbookEngine.watchRuns over a real database (in-memory PGlite): the Runs page's "something
 * changed" feed, whichever process wrote the run.
 */
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";
import { RunbookEngine } from "./engine";

const db = useTestDatabase();
const engine = new RunbookEngine({
  db,
  tenantRecord: async () => undefined,
  clusterFor: () => {
    throw new Error("watchRuns reads no cluster");
  },
  settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
  sweepIntervalMs: 0,
  watchPollMs: 25,
});

afterAll(() => engine.dispose());

/** A run row as another process writes it, stamped `updatedAt` by that process's clock. */
async function writeRun(updatedAt: Date): Promise<string> {
  const run = await db.runbookRun.create({
    data: {
      tenantId: randomUUID(),
      tenantName: "Tenant",
      cluster: "default",
      namespace: "tenant-x",
      runbookId: "restart-instance",
      title: "Restart the instance",
      risk: "low",
      input: {},
      state: "running",
      plan: [],
      planHash: "0".repeat(64),
      plannedAt: updatedAt,
      requestedByEmail: "operator@example.com",
      updatedAt,
    },
  });
  return run.id;
}

/** Collects what the feed reports until `until` resolves, then stops it. */
async function reportsWhile(until: () => Promise<void>): Promise<string[]> {
  const abort = new AbortController();
  const seen: string[] = [];
  const reading = (async () => {
    for await (const change of engine.watchRuns(abort.signal)) seen.push(change.runId);
  })();
  await until();
  abort.abort();
  await reading;
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RunbookEngine.watchRuns", () => {
  it("reports a change that became visible after a newer one (another replica's later commit), once each", async () => {
    let newer = "";
    let late = "";
    const seen = await reportsWhile(async () => {
      await sleep(100);
      newer = await writeRun(new Date());
      await sleep(150);
      // Stamped before `newer` by its writer, committed after it was reported.
      late = await writeRun(new Date(Date.now() - 1_000));
      await sleep(300);
    });
    expect(seen.filter((id) => id === newer)).toHaveLength(1);
    expect(seen.filter((id) => id === late)).toHaveLength(1);
  });

  it("reports a run again when it changes again, and leaves planned previews out", async () => {
    let id = "";
    let planned = "";
    const seen = await reportsWhile(async () => {
      await sleep(100);
      id = await writeRun(new Date());
      await sleep(150);
      await db.runbookRun.update({ where: { id }, data: { state: "succeeded" } });
      planned = (
        await db.runbookRun.create({
          data: {
            tenantId: randomUUID(),
            tenantName: "Tenant",
            cluster: "default",
            namespace: "tenant-y",
            runbookId: "restart-instance",
            title: "Restart the instance",
            risk: "low",
            input: {},
            state: "planned",
            plan: [],
            planHash: "1".repeat(64),
            plannedAt: new Date(),
            requestedByEmail: "operator@example.com",
          },
        })
      ).id;
      await sleep(300);
    });
    expect(seen.filter((seenId) => seenId === id)).toHaveLength(2);
    expect(seen).not.toContain(planned);
  });
});

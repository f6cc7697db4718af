import { afterEach, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import { clusterBasics, tenantFixture, warmStore } from "@/scripts/test-support/cluster-fixtures";
import { waitFor } from "@/scripts/test-support/sim-process";
import { TenantDirectory, type TenantDirectoryOptions } from "./tenant-view";

// The registry as another process writes it: rows plus the fingerprint registryFingerprint reads.
const first = tenantFixture("registry-first");
const second = tenantFixture("registry-second");
const store = warmStore([...clusterBasics(), ...first.objects, ...second.objects]);
const directories: TenantDirectory[] = [];

function directory(options: Partial<TenantDirectoryOptions> & Pick<TenantDirectoryOptions, "loadRegistry">): TenantDirectory {
  // A full refresh far in the future: whatever shows up sooner came from the fingerprint check.
  const made = new TenantDirectory({ clusters: [store], registryRefreshMs: 3_600_000, registryCheckMs: 20, ...options });
  directories.push(made);
  made.start();
  return made;
}

afterEach(() => {
  for (const made of directories.splice(0)) made.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("TenantDirectory: a registry another process writes", () => {
  it("reloads within registryCheckMs once the fingerprint moves, and not while it stays", async () => {
    let rows: TenantRecord[] = [first.record];
    let version = "1";
    let loads = 0;
    const subject = directory({
      loadRegistry: async () => {
        loads += 1;
        return rows;
      },
      registryVersion: async () => version,
    });
    await subject.ready();
    await sleep(200);
    expect(loads).toBe(1);
    expect(subject.record(second.record.id)).toBeUndefined();

    // Another replica's import: the rows and the fingerprint move together.
    rows = [first.record, second.record];
    version = "2";
    await waitFor("the imported tenant", () => subject.record(second.record.id), 1_000);
    expect(loads).toBe(2);
    // Its workloads are a tenant's now, no longer an orphan's.
    expect(subject.orphans().map((orphan) => orphan.instanceId)).not.toContain(second.record.id);
  });

  it("catches a write that lands between reading the fingerprint and reading the rows", async () => {
    let rows: TenantRecord[] = [first.record];
    let version = "1";
    let loads = 0;
    const subject = directory({
      loadRegistry: async () => {
        loads += 1;
        const read = rows;
        // The first read returns the old rows; the writer commits right behind it.
        if (loads === 1) {
          rows = [first.record, second.record];
          version = "2";
        }
        return read;
      },
      registryVersion: async () => version,
    });
    await subject.ready();
    expect(subject.record(second.record.id)).toBeUndefined();
    await waitFor("the row written during the first read", () => subject.record(second.record.id), 1_000);
  });

  it("never lets an older read replace a newer one when reloads overlap", async () => {
    let call = 0;
    const subject = directory({
      // The first read (old rows) is slow; the reload after an import (new rows) is quick.
      loadRegistry: async () => {
        call += 1;
        if (call === 1) {
          await sleep(150);
          return [first.record];
        }
        return [first.record, second.record];
      },
    });
    const afterImport = subject.invalidateRegistry();
    await Promise.all([subject.ready(), afterImport]);
    await sleep(200);
    expect(subject.record(second.record.id)).toBeDefined();
  });
});

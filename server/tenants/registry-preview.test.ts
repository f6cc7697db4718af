import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";

import { importRegistry, previewRegistryImport, type RegistryFormat } from "./registry-import";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "__fixtures__", name), "utf8");
const importer = { cluster: "eu-1", actor: { name: "admin@fleetdeck.local" } };

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "tenant"] });

/** Everything an import could touch, to prove a preview left it as it was. */
async function registrySnapshot() {
  return {
    tenants: await db.tenant.findMany({ orderBy: { id: "asc" } }),
    auditEvents: await db.auditEvent.count(),
  };
}

/** Previews, checks the preview wrote nothing, imports, and returns both reports. */
async function previewThenImport(text: string, format: RegistryFormat, cluster = importer.cluster) {
  const before = await registrySnapshot();
  const preview = await previewRegistryImport(db, text, format, { cluster });
  expect(await registrySnapshot()).toEqual(before);
  const result = await importRegistry(db, text, format, { ...importer, cluster });
  return { preview, result };
}

describe("previewRegistryImport", () => {
  it("counts new, changed and unchanged rows exactly as the import then does, writing nothing", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);

    // Against the JSON: brightpath is identical, harborline is trial instead of overdue, acme is new.
    const { preview, result } = await previewThenImport(fixture("registry-good.csv"), "csv");
    expect(preview).toEqual({ rows: 3, created: 1, updated: 1, unchanged: 1, onSwarm: 0, problems: [], warnings: [] });
    expect({ rows: 3, ...result, warnings: [] }).toEqual(preview);

    // The preview of the same file now sees the import's work.
    expect(await previewRegistryImport(db, fixture("registry-good.csv"), "csv", importer)).toEqual({
      rows: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
      onSwarm: 0,
      problems: [],
      warnings: [],
    });
  });

  it("warns, without refusing, of an Odoo version no tenant of the fleet runs", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const versions = [...new Set((await db.tenant.findMany()).map((tenant) => tenant.odooVersion))].sort();
    const csv = fixture("registry-good.csv").replace(/,1[0-9]\.0,/, ",99.9,");
    expect(csv).toContain(",99.9,");
    const preview = await previewRegistryImport(db, csv, "csv", importer);
    expect(preview.problems).toEqual([]);
    expect(preview.warnings).toEqual([
      {
        row: 2,
        field: "odoo_version",
        problem: `Odoo 99.9 is a version no tenant of the fleet runs (it runs ${versions.join(", ")}); check it is not a typo.`,
      },
    ]);
    // A first import has nothing to compare with.
    await db.tenant.deleteMany();
    expect((await previewRegistryImport(db, csv, "csv", importer)).warnings).toEqual([]);
  });

  it("counts a move to another cluster as an update, as the import does", async () => {
    await importRegistry(db, fixture("registry-good.csv"), "csv", importer);
    const { preview, result } = await previewThenImport(fixture("registry-good.csv"), "csv", "us-2");
    expect(preview).toMatchObject({ created: 0, updated: 3, unchanged: 0 });
    expect(result).toEqual({ created: 0, updated: 3, unchanged: 0, onSwarm: 0, problems: [] });
  });

  it("reports the same problems as the import for a bad file, and neither writes", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const before = await registrySnapshot();

    const { preview, result } = await previewThenImport(fixture("registry-bad.csv"), "csv");
    expect(preview.problems).toHaveLength(10);
    expect(preview).toEqual({ rows: 0, ...result, warnings: [] });
    expect(await registrySnapshot()).toEqual(before);
  });

  it("reports the same database_name clash as the import, and accepts a name its holder gives up in the same file", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const [brightpath, harborline] = JSON.parse(fixture("registry-good.json")) as Record<string, string>[];
    const newcomer = { ...brightpath, id: "e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7", name: "odoo-brightpath-logistics-e1f2a3b4" };

    const clash = await previewThenImport(JSON.stringify([harborline, newcomer]), "json");
    expect(clash.preview.problems).toEqual([
      {
        row: 2,
        field: "database_name",
        problem: "database_name 'brightpath-logistics' already belongs to instance 3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f in the registry",
      },
    ]);
    expect(clash.preview).toEqual({ rows: 0, ...clash.result, warnings: [] });
    expect(await db.tenant.count()).toBe(2);

    const renamed = { ...brightpath, database_name: "brightpath-archive" };
    const handOver = await previewThenImport(JSON.stringify([renamed, newcomer]), "json");
    expect(handOver.preview).toEqual({ rows: 2, created: 1, updated: 1, unchanged: 0, onSwarm: 0, problems: [], warnings: [] });
    expect(handOver.result).toEqual({ created: 1, updated: 1, unchanged: 0, onSwarm: 0, problems: [] });
    expect((await db.tenant.findMany({ orderBy: { databaseName: "asc" } })).map((t) => [t.databaseName, t.id])).toEqual([
      ["brightpath-archive", brightpath.id],
      ["brightpath-logistics", newcomer.id],
      ["harborline-analytics", harborline.id],
    ]);
  });

  it("agrees with the import on two instances swapping database names", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const [brightpath, harborline] = JSON.parse(fixture("registry-good.json")) as Record<string, string>[];
    const swapped = [
      { ...brightpath, database_name: harborline.database_name },
      { ...harborline, database_name: brightpath.database_name },
    ];

    const { preview, result } = await previewThenImport(JSON.stringify(swapped), "json");
    expect(preview).toEqual({ rows: 2, created: 0, updated: 2, unchanged: 0, onSwarm: 0, problems: [], warnings: [] });
    expect(result).toEqual({ created: 0, updated: 2, unchanged: 0, onSwarm: 0, problems: [] });
    expect(await previewRegistryImport(db, JSON.stringify(swapped), "json", importer)).toMatchObject({ unchanged: 2 });
  });
});

import "server-only";

import type { PrismaClient } from "@/server/db/generated/client";

import { parseRegistryFile, type RegistryFormat, type RegistryImportResult, type RegistryProblem } from "./registry-import";

/** What importRegistry would do with this file, so a person can check a file before committing it. */
export interface RegistryImportPreview extends RegistryImportResult {
  /** Rows that passed every check (0 when there are problems). */
  rows: number;
}

// The same fields importRegistry compares: a row that differs in any of them is an update.
const COMPARED = ["name", "databaseName", "customerId", "customerEmail", "instanceType", "odooVersion", "billingStatus"] as const;

/**
 * Runs importRegistry's checks (the file's own, and database names already held by other
 * instances in the registry) and counts creates / updates / unchanged rows, reading only.
 * importRegistry checks everything again when it runs, so a stale preview cannot let a bad
 * file through; at worst its counts differ from the import's.
 */
export async function previewRegistryImport(
  db: PrismaClient,
  text: string,
  format: RegistryFormat,
  options: { cluster: string },
): Promise<RegistryImportPreview> {
  const parsed = parseRegistryFile(text, format);
  if (parsed.problems.length > 0) return { rows: 0, created: 0, updated: 0, unchanged: 0, problems: parsed.problems };

  const offset = format === "csv" ? 2 : 1;
  const rowOf = new Map(parsed.rows.map((row, index) => [row.id, index + offset]));
  const existing = new Map(
    (await db.tenant.findMany({ where: { id: { in: parsed.rows.map((row) => row.id) } } })).map((tenant) => [tenant.id, tenant]),
  );
  const wantedBy = new Map(parsed.rows.map((row) => [row.databaseName, row.id]));
  const holders = await db.tenant.findMany({
    where: { databaseName: { in: [...wantedBy.keys()] } },
    select: { id: true, databaseName: true },
  });

  const problems: RegistryProblem[] = [];
  for (const holder of holders) {
    const id = wantedBy.get(holder.databaseName)!;
    // The holder gives the name up in this same file: a rename, not a clash.
    const holderRenamedInFile = parsed.rows.some((row) => row.id === holder.id && row.databaseName !== holder.databaseName);
    if (holder.id !== id && !holderRenamedInFile) {
      problems.push({
        row: rowOf.get(id) ?? 0,
        field: "database_name",
        problem: `database_name '${holder.databaseName}' already belongs to instance ${holder.id} in the registry`,
      });
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.row - b.row);
    return { rows: 0, created: 0, updated: 0, unchanged: 0, problems };
  }

  let created = 0;
  let updated = 0;
  for (const row of parsed.rows) {
    const current = existing.get(row.id);
    if (!current) created += 1;
    else if (
      !COMPARED.every((key) => current[key] === row[key]) ||
      current.cluster !== options.cluster ||
      (row.createdAt !== undefined && current.createdAt.getTime() !== row.createdAt.getTime())
    ) {
      updated += 1;
    }
  }
  return { rows: parsed.rows.length, created, updated, unchanged: parsed.rows.length - created - updated, problems: [] };
}

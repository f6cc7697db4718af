import "server-only";

// Imports the instance service's export (CSV or JSON) into the tenant registry. Every row is
// checked first; a file with any problem changes nothing, and the caller gets a report of
// { row, field, problem } written for the person fixing the file.
import Papa from "papaparse";
import { z } from "zod";

import { recordAuditEvent, type AuditActor } from "@/server/audit/audit-log";
import { recordImportedOnSwarm } from "@/server/migration/tenant-migration";
import type { BillingStatus, InstanceType, PrismaClient } from "@/server/db/generated/client";
import { BILLING_STATUSES, INSTANCE_TYPES, PLATFORMS, type Platform, type TenantRecord } from "@/lib/tenants/types";
import { CANONICAL_UUID, EXAMPLE_TENANT_ID } from "@/lib/tenants/tenant-id";
import { hasControlCharacters } from "@/lib/text/control-characters";

export type RegistryFormat = "csv" | "json";

/**
 * A registry row as the export gives it: the record without cluster and bookkeeping, createdAt if
 * the export says, and where the instance service runs it (absent: Kubernetes). The platform is
 * not stored on the tenant: a tenant on Swarm gets a migration row "on-swarm" (see importRegistry).
 */
export type TenantRecordInput = Omit<TenantRecord, "cluster" | "createdAt" | "updatedAt"> & { createdAt?: Date; platform?: Platform };

export interface RegistryProblem {
  /** CSV: the line in the file (the header is line 1). JSON: the 1-based position in the array. 0: the whole file. */
  row: number;
  /** The column as the file names it (database_name or databaseName), or "file". */
  field: string;
  problem: string;
}

export interface ParsedRegistryFile {
  rows: TenantRecordInput[];
  problems: RegistryProblem[];
}

export interface RegistryImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Tenants on Swarm (platform swarm) without a migration yet: they get one in "on-swarm". */
  onSwarm: number;
  problems: RegistryProblem[];
}

// The export's snake_case names; camelCase and a few synonyms are accepted too.
const FIELDS = {
  id: ["id", "instance_id"],
  name: ["name", "instance_name"],
  databaseName: ["database_name"],
  customerId: ["customer_id"],
  customerEmail: ["admin_email", "customer_email"],
  instanceType: ["instance_type"],
  odooVersion: ["odoo_version"],
  billingStatus: ["billing_status"],
  createdAt: ["created_at"],
  platform: ["platform", "runs_on"],
} as const satisfies Record<keyof TenantRecordInput, readonly string[]>;

type FieldKey = keyof typeof FIELDS;
const REQUIRED: FieldKey[] = ["id", "name", "databaseName", "customerId", "customerEmail", "instanceType", "odooVersion", "billingStatus"];

/** "databaseName", "Database Name", "database-name" -> "database_name" */
function snakeCase(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[\s-]+/g, "_")
    .toLowerCase();
}

const FIELD_BY_NAME = new Map<string, FieldKey>(
  (Object.entries(FIELDS) as [FieldKey, readonly string[]][]).flatMap(([key, names]) => names.map((name) => [name, key] as const)),
);

// A Kubernetes namespace is `tenant-<database_name>`, so the name must stay DNS-safe in spirit;
// underscores are tolerated because Odoo database names use them.
const DATABASE_NAME = /^[a-z][a-z0-9_-]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ODOO_VERSION = /^(\d{1,2})(?:\.(\d))?$/;

const quote = (value: unknown) => `'${String(value).length > 60 ? `${String(value).slice(0, 57)}...` : String(value)}'`;

/** One field's check: a zod schema from the raw cell to the stored value, with plain-words errors. */
function fieldSchemas(label: (key: FieldKey) => string) {
  // A missing or blank cell stops that field's checks: "is missing" says all that matters.
  const text = (key: FieldKey) =>
    z.unknown().transform((value, ctx) => {
      const cell = value === null || value === undefined ? undefined : String(value).trim();
      if (!cell) {
        ctx.addIssue({ code: "custom", message: `${label(key)} is ${cell === undefined ? "missing" : "empty"}; every row needs one` });
        return z.NEVER;
      }
      // PostgreSQL refuses NUL in text; the row would otherwise fail the whole import at the database.
      if (hasControlCharacters(cell)) {
        ctx.addIssue({ code: "custom", message: `${label(key)} cannot contain control characters (such as NUL, tabs or line breaks)` });
        return z.NEVER;
      }
      return cell;
    });
  const uuid = (key: FieldKey, example: string) =>
    text(key)
      .refine((value) => CANONICAL_UUID.test(value), { error: (issue) => `${label(key)} ${quote(issue.input)} must be a UUID such as ${example}` })
      .transform((value) => value.toLowerCase());
  const oneOf = <T extends string>(key: FieldKey, values: readonly T[]) =>
    text(key)
      .transform((value) => value.toLowerCase())
      .refine((value) => (values as readonly string[]).includes(value), {
        error: (issue) => `${label(key)} ${quote(issue.input)} must be one of ${values.join(", ")}`,
      })
      .transform((value) => value as T);

  return {
    id: uuid("id", EXAMPLE_TENANT_ID),
    name: text("name").refine((value) => value.length <= 255, `${label("name")} is longer than 255 characters`),
    databaseName: text("databaseName").refine((value) => DATABASE_NAME.test(value) && value.length <= 63, {
      error: (issue) =>
        `${label("databaseName")} ${quote(issue.input)} must start with a lowercase letter and use only lowercase letters, ` +
        "digits, hyphens and underscores (at most 63 characters)",
    }),
    customerId: uuid("customerId", "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70"),
    customerEmail: text("customerEmail")
      .refine((value) => EMAIL.test(value) && value.length <= 254, {
        error: (issue) => `${label("customerEmail")} ${quote(issue.input)} is not an email address`,
      })
      .transform((value) => value.toLowerCase()),
    instanceType: oneOf<InstanceType>("instanceType", INSTANCE_TYPES),
    odooVersion: text("odooVersion")
      .refine((value) => ODOO_VERSION.test(value), {
        error: (issue) => `${label("odooVersion")} ${quote(issue.input)} must be an Odoo version such as 17.0`,
      })
      // The instance service writes both "17" and "17.0"; the cluster's image tags say "17.0".
      .transform((value) => {
        const [, major, minor] = ODOO_VERSION.exec(value)!;
        return `${major}.${minor ?? "0"}`;
      }),
    billingStatus: oneOf<BillingStatus>("billingStatus", BILLING_STATUSES),
    createdAt: z
      .unknown()
      .transform((value) => (value === null || value === undefined ? "" : String(value).trim()))
      .refine((value) => value === "" || !Number.isNaN(Date.parse(value)), {
        error: (issue) => `${label("createdAt")} ${quote(issue.input)} must be a date such as 2024-05-01T10:00:00Z`,
      })
      .transform((value) => (value === "" ? undefined : new Date(value))),
    // Optional: a blank cell (or no column) means Kubernetes, where every tenant ends up.
    platform: z
      .unknown()
      .transform((value) => (value === null || value === undefined ? "" : String(value).trim().toLowerCase()))
      .refine((value) => value === "" || (PLATFORMS as readonly string[]).includes(value), {
        error: (issue) => `${label("platform")} ${quote(issue.input)} must be one of ${PLATFORMS.join(", ")} (or empty for kubernetes)`,
      })
      .transform((value) => (value === "" ? undefined : (value as Platform))),
  } satisfies Record<FieldKey, z.ZodType>;
}

interface RawRow {
  /** Number reported for this row (see RegistryProblem.row). */
  row: number;
  values: Record<string, unknown>;
}

function rowsFromCsv(text: string, problems: RegistryProblem[]): RawRow[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (header) => header.trim(),
  });
  for (const error of parsed.errors) {
    // Papa numbers data rows from 0; the header is line 1 of the file.
    const row = error.row === undefined ? 0 : error.row + 2;
    const problem =
      error.code === "TooManyFields" || error.code === "TooFewFields"
        ? `the row has a different number of columns than the header (${error.message})`
        : error.message;
    problems.push({ row, field: "file", problem });
  }
  return parsed.data.map((values, index) => ({ row: index + 2, values }));
}

function rowsFromJson(text: string, problems: RegistryProblem[]): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    problems.push({ row: 0, field: "file", problem: `the file is not valid JSON: ${(error as Error).message}` });
    return [];
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === "object" && Array.isArray((data as { instances?: unknown }).instances)
      ? (data as { instances: unknown[] }).instances
      : undefined;
  if (!list) {
    problems.push({ row: 0, field: "file", problem: 'the JSON must be an array of instances or an object {"instances": [...]}' });
    return [];
  }
  const rows: RawRow[] = [];
  list.forEach((item, index) => {
    if (item && typeof item === "object" && !Array.isArray(item)) rows.push({ row: index + 1, values: item as Record<string, unknown> });
    else problems.push({ row: index + 1, field: "file", problem: "this entry is not an object with instance fields" });
  });
  return rows;
}

/**
 * Reads and checks an export without touching the database. `rows` holds the rows that passed;
 * any entry in `problems` means the file as a whole must not be imported.
 */
export function parseRegistryFile(text: string, format: RegistryFormat): ParsedRegistryFile {
  const problems: RegistryProblem[] = [];
  const rawRows = format === "csv" ? rowsFromCsv(text, problems) : rowsFromJson(text, problems);
  if (rawRows.length === 0 && problems.length === 0) {
    problems.push({ row: 0, field: "file", problem: "the file holds no instances" });
  }

  // Which key the file uses for each field, so problems name the column the person sees.
  const keyUsed = new Map<FieldKey, string>();
  for (const raw of rawRows) {
    for (const key of Object.keys(raw.values)) {
      const field = FIELD_BY_NAME.get(snakeCase(key));
      if (field && !keyUsed.has(field)) keyUsed.set(field, key);
    }
  }
  const label = (field: FieldKey) => keyUsed.get(field) ?? FIELDS[field][0];
  // A CSV names its columns once; a JSON object may omit a key, which is that row's problem.
  const missingColumns = new Set(format === "csv" ? REQUIRED.filter((f) => !keyUsed.has(f)) : []);
  if (rawRows.length > 0) {
    for (const field of missingColumns) problems.push({ row: 1, field: label(field), problem: `the column ${label(field)} is missing` });
  }
  const schemas = fieldSchemas(label);

  const rows: TenantRecordInput[] = [];
  const firstRowOfId = new Map<string, number>();
  const firstRowOfDatabase = new Map<string, number>();
  for (const raw of rawRows) {
    const values = new Map<FieldKey, unknown>();
    for (const [key, value] of Object.entries(raw.values)) {
      const field = FIELD_BY_NAME.get(snakeCase(key));
      if (field && !values.has(field)) values.set(field, value);
    }
    const record: Partial<Record<FieldKey, unknown>> = {};
    let rowOk = true;
    for (const field of Object.keys(schemas) as FieldKey[]) {
      if (missingColumns.has(field)) {
        rowOk = false;
        continue;
      }
      const result = schemas[field].safeParse(values.get(field));
      if (result.success) record[field] = result.data;
      else {
        rowOk = false;
        for (const issue of result.error.issues) problems.push({ row: raw.row, field: label(field), problem: issue.message });
      }
    }
    if (!rowOk) continue;
    const tenant = record as unknown as TenantRecordInput;

    const sameId = firstRowOfId.get(tenant.id);
    const sameDatabase = firstRowOfDatabase.get(tenant.databaseName);
    if (sameId !== undefined) {
      problems.push({ row: raw.row, field: label("id"), problem: `${label("id")} ${quote(tenant.id)} appears again (first on row ${sameId})` });
      continue;
    }
    if (sameDatabase !== undefined) {
      problems.push({
        row: raw.row,
        field: label("databaseName"),
        problem: `${label("databaseName")} ${quote(tenant.databaseName)} is already used on row ${sameDatabase} by another instance`,
      });
      continue;
    }
    firstRowOfId.set(tenant.id, raw.row);
    firstRowOfDatabase.set(tenant.databaseName, raw.row);
    if (tenant.createdAt === undefined) delete tenant.createdAt;
    if (tenant.platform === undefined) delete tenant.platform;
    rows.push(tenant);
  }
  problems.sort((a, b) => a.row - b.row);
  return { rows, problems };
}

export interface ImportRegistryOptions {
  /** The cluster these instances run in (FLEETDECK_CLUSTER_NAME for the portal's own). */
  cluster: string;
  /** Who the audit row names: the signed-in user, or the CLI's --actor by name. */
  actor: AuditActor;
}

/** What importRegistry would do with a file, so a person can check it before importing. */
export interface RegistryImportPreview extends RegistryImportResult {
  /** Rows that passed every check (0 when there are problems). */
  rows: number;
  /** What is allowed but looks wrong (an Odoo version no tenant of the registry runs): said, not refused. */
  warnings: RegistryProblem[];
}

/** At most this many warnings are listed; the count says how many more there are. */
const MAX_WARNINGS = 20;

/** Rows whose Odoo version no tenant of the registry (outside the file) runs, e.g. a typo like 99.9. */
async function versionWarnings(db: TenantReader, rows: TenantRecordInput[], format: RegistryFormat): Promise<RegistryProblem[]> {
  const known = new Set((await db.tenant.findMany({ distinct: ["odooVersion"], select: { odooVersion: true } })).map((tenant) => tenant.odooVersion));
  if (known.size === 0) return []; // a first import: nothing to compare with
  const list = [...known].sort((a, b) => a.localeCompare(b, "en", { numeric: true })).join(", ");
  const rowNumber = rowNumbers(format, rows);
  return rows
    .filter((row) => !known.has(row.odooVersion))
    .slice(0, MAX_WARNINGS)
    .map((row) => ({
      row: rowNumber.get(row.id) ?? 0,
      field: "odoo_version",
      problem: `Odoo ${row.odooVersion} is a version no tenant of the fleet runs (it runs ${list}); check it is not a typo.`,
    }));
}

interface RegistryImportPlan {
  rows: TenantRecordInput[];
  toCreate: TenantRecordInput[];
  toUpdate: TenantRecordInput[];
  /** Ids of tenants (all in toUpdate) whose current database_name another row of the file takes. */
  handOvers: string[];
  /** Ids of tenants the file says run on Swarm and that have no migration row yet. */
  onSwarm: string[];
  /** Non-empty: the file must not be imported, and the row lists are empty. */
  problems: RegistryProblem[];
}

/** Both a PrismaClient and the client inside $transaction: planning only reads tenants and their migration rows. */
type TenantReader = Pick<PrismaClient, "tenant" | "tenantMigration">;

// A row that differs from the registry in any of these (or in cluster, or in a createdAt the
// file states) is an update; otherwise it is unchanged and not written.
const COMPARED = ["name", "databaseName", "customerId", "customerEmail", "instanceType", "odooVersion", "billingStatus"] as const;

const EMPTY_RESULT = { created: 0, updated: 0, unchanged: 0, onSwarm: 0 } as const;

/**
 * Checks a file against itself and against the registry (database names held by instances
 * outside the file) and sorts its rows into creates and updates, reading only. Both the
 * preview and the import run this, so they cannot disagree about the same registry.
 */
async function planRegistryImport(db: TenantReader, parsed: ParsedRegistryFile, format: RegistryFormat, cluster: string): Promise<RegistryImportPlan> {
  if (parsed.problems.length > 0) return { rows: [], toCreate: [], toUpdate: [], handOvers: [], onSwarm: [], problems: parsed.problems };
  const rowNumber = rowNumbers(format, parsed.rows);

  const existing = new Map((await db.tenant.findMany({ where: { id: { in: parsed.rows.map((row) => row.id) } } })).map((tenant) => [tenant.id, tenant]));
  const wantedBy = new Map(parsed.rows.map((row) => [row.databaseName, row.id]));
  const idsInFile = new Set(parsed.rows.map((row) => row.id));
  const holders = await db.tenant.findMany({
    where: { databaseName: { in: [...wantedBy.keys()] } },
    select: { id: true, databaseName: true },
  });
  const problems: RegistryProblem[] = [];
  const handOvers: string[] = [];
  for (const holder of holders) {
    const id = wantedBy.get(holder.databaseName)!;
    if (holder.id === id) continue;
    // A holder that is in the file gives the name up there (the file uses each name once, and
    // another row has this one): a rename, not a clash.
    if (idsInFile.has(holder.id)) handOvers.push(holder.id);
    else {
      problems.push({
        row: rowNumber.get(id) ?? 0,
        field: "database_name",
        problem: `database_name ${quote(holder.databaseName)} already belongs to instance ${holder.id} in the registry`,
      });
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.row - b.row);
    return { rows: [], toCreate: [], toUpdate: [], handOvers: [], onSwarm: [], problems };
  }

  const toCreate: TenantRecordInput[] = [];
  const toUpdate: TenantRecordInput[] = [];
  for (const row of parsed.rows) {
    const current = existing.get(row.id);
    if (!current) toCreate.push(row);
    else if (
      !COMPARED.every((key) => current[key] === row[key]) ||
      current.cluster !== cluster ||
      (row.createdAt !== undefined && current.createdAt.getTime() !== row.createdAt.getTime())
    ) {
      toUpdate.push(row);
    }
  }
  // A tenant's migration row, once there, is the migration's: the file never overwrites it.
  const swarmIds = parsed.rows.filter((row) => row.platform === "swarm").map((row) => row.id);
  const tracked = new Set(
    swarmIds.length === 0
      ? []
      : (await db.tenantMigration.findMany({ where: { tenantId: { in: swarmIds } }, select: { tenantId: true } })).map((row) => row.tenantId),
  );
  const onSwarm = swarmIds.filter((id) => !tracked.has(id));
  return { rows: parsed.rows, toCreate, toUpdate, handOvers, onSwarm, problems: [] };
}

function countsOf(plan: RegistryImportPlan): Omit<RegistryImportResult, "problems"> {
  return {
    created: plan.toCreate.length,
    updated: plan.toUpdate.length,
    unchanged: plan.rows.length - plan.toCreate.length - plan.toUpdate.length,
    onSwarm: plan.onSwarm.length,
  };
}

/**
 * What importRegistry would report for this file right now, without writing. The import plans
 * again inside its transaction, so a stale preview cannot let a bad file through; at worst the
 * registry changed in between and the import's report differs from the preview's.
 */
export async function previewRegistryImport(
  db: TenantReader,
  text: string,
  format: RegistryFormat,
  options: { cluster: string },
): Promise<RegistryImportPreview> {
  const plan = await planRegistryImport(db, parseRegistryFile(text, format), format, options.cluster);
  if (plan.problems.length > 0) return { rows: 0, ...EMPTY_RESULT, problems: plan.problems, warnings: [] };
  return { rows: plan.rows.length, ...countsOf(plan), problems: [], warnings: await versionWarnings(db, plan.rows, format) };
}

/**
 * Plans the file (see planRegistryImport), then writes the creates and updates in one
 * transaction and records an AuditEvent. With any problem nothing is written and `problems`
 * says why.
 */
export async function importRegistry(db: PrismaClient, text: string, format: RegistryFormat, options: ImportRegistryOptions): Promise<RegistryImportResult> {
  // The file's own problems need no transaction: report them before opening one.
  const parsed = parseRegistryFile(text, format);
  if (parsed.problems.length > 0) return { ...EMPTY_RESULT, problems: parsed.problems };

  try {
    return await db.$transaction(
      async (tx) => {
        const plan = await planRegistryImport(tx, parsed, format, options.cluster);
        if (plan.problems.length > 0) return { ...EMPTY_RESULT, problems: plan.problems };

        // database_name is unique at every statement, not at commit: a name handed to another
        // row (a rename plus a new instance, or two instances swapping) must be free before it
        // is taken. The parking name cannot clash: valid names never start with "~".
        for (const id of plan.handOvers) {
          await tx.tenant.update({ where: { id }, data: { databaseName: `~handing-over-${id}` } });
        }

        for (let start = 0; start < plan.toCreate.length; start += 1000) {
          await tx.tenant.createMany({
            data: plan.toCreate.slice(start, start + 1000).map((row) => ({ ...tenantData(row), cluster: options.cluster })),
          });
        }
        for (const row of plan.toUpdate) {
          await tx.tenant.update({ where: { id: row.id }, data: { ...tenantData(row), cluster: options.cluster } });
        }
        await recordImportedOnSwarm(tx, plan.onSwarm, options.actor);

        const counts = countsOf(plan);
        await recordAuditEvent(tx, {
          actor: options.actor,
          action: "registry.import",
          targetKind: "registry",
          targetId: options.cluster,
          details: { format, rows: plan.rows.length, ...counts },
        });
        return { ...counts, problems: [] };
      },
      // 10,000 rows on PGlite take a few seconds; Prisma's 5 s default would abort a big import.
      { maxWait: 30_000, timeout: 300_000 },
    );
  } catch (error) {
    // Another writer can still take a database_name between our check and the write.
    if ((error as { code?: string }).code === "P2002") {
      return {
        ...EMPTY_RESULT,
        problems: [
          {
            row: 0,
            field: "database_name",
            problem: "a database_name in the file was taken by another instance while importing; nothing was changed, try again",
          },
        ],
      };
    }
    throw error;
  }
}

/** The tenant row's columns (the platform is not one). */
function tenantData(row: TenantRecordInput): Omit<TenantRecordInput, "platform"> {
  const { platform: _platform, ...data } = row;
  return data;
}

/** id -> its row number; only called for a file without problems, so no row was dropped. */
function rowNumbers(format: RegistryFormat, rows: TenantRecordInput[]): Map<string, number> {
  const offset = format === "csv" ? 2 : 1;
  return new Map(rows.map((row, index) => [row.id, index + offset]));
}

import "server-only";

// Compares what schema.prisma declares with what the committed migrations build, without Prisma's
// native schema engine (which cannot be downloaded here). Both sides are reduced to one canonical
// "shape": tables, columns (type, nullability, default), primary keys, indexes, foreign keys and
// enums. The schema side comes from Prisma's own parser: `prisma generate` hands its DMMF to a
// tiny custom generator that writes it to a file. The database side comes from pg_catalog.
//
// Used by schema-drift.test.ts; not part of the running portal.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

export interface ColumnShape {
  type: string;
  nullable: boolean;
  /** Normalised default expression, or null when the database fills in nothing. */
  default: string | null;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  /** "unique(a, b)" / "index(a)" */
  indexes: string[];
  /** "(a) -> Other(id) on delete SET NULL on update CASCADE" */
  foreignKeys: string[];
}

export interface SchemaShape {
  enums: Record<string, string[]>;
  tables: Record<string, TableShape>;
}

// --- The schema side -------------------------------------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

export interface DmmfDatamodel {
  enums: { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] }[];
  models: DmmfModel[];
  indexes: {
    model: string;
    type: "id" | "unique" | "normal" | "fulltext";
    dbName?: string | null;
    fields: { name: string }[];
  }[];
}

// Speaks just enough of Prisma's generator JSON-RPC protocol (requests on stdin, replies on stderr).
const DMMF_DUMP_GENERATOR = `import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
const reply = (id, result) => process.stderr.write(JSON.stringify({ jsonrpc: "2.0", id, result }) + "\\n");
createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.method === "getManifest") {
    reply(message.id, { manifest: { prettyName: "DMMF dump", requiresEngines: [] } });
  } else if (message.method === "generate") {
    writeFileSync(process.env.FLEETDECK_DMMF_OUT, JSON.stringify(message.params.dmmf.datamodel));
    reply(message.id, null);
  }
});
`;

/** Parses a schema file with the installed Prisma CLI and returns its datamodel DMMF. */
export async function readSchemaDmmf(schemaPath: string): Promise<DmmfDatamodel> {
  const prismaPackage = createRequire(import.meta.url).resolve("prisma/package.json");
  const prismaCli = path.join(path.dirname(prismaPackage), "build", "index.js");
  const workDir = await mkdtemp(path.join(tmpdir(), "fleetdeck-dmmf-"));
  try {
    const generator = path.join(workDir, "dmmf-dump-generator.mjs");
    const output = path.join(workDir, "dmmf.json");
    await writeFile(generator, DMMF_DUMP_GENERATOR);
    const schema = (await readFile(schemaPath, "utf8")).replace(/generator\s+\w+\s*\{[^}]*\}/g, "");
    const schemaCopy = path.join(workDir, "schema.prisma");
    await writeFile(schemaCopy, `generator dmmf {\n  provider = "node ${generator}"\n  output   = "${path.join(workDir, "out")}"\n}\n${schema}`);
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [prismaCli, "generate", "--schema", schemaCopy],
        {
          cwd: workDir,
          env: {
            ...process.env,
            FLEETDECK_DMMF_OUT: output,
            // generate never runs the schema engine, but Prisma 7 tries to download it unless set.
            PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
            CHECKPOINT_DISABLE: "1",
            PRISMA_HIDE_UPDATE_MESSAGE: "1",
          },
        },
        (error, stdout, stderr) => (error ? reject(new Error(`prisma generate could not read ${schemaPath}:\n${stderr || stdout}`)) : resolve()),
      );
    });
    return JSON.parse(await readFile(output, "utf8")) as DmmfDatamodel;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

const PRISMA_SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

function nativeTypeToPostgres(name: string, args: string[]): string {
  const a = args.join(",");
  const withArgs = (base: string) => (a ? `${base}(${a})` : base);
  switch (name) {
    case "Text":
      return "text";
    case "Uuid":
      return "uuid";
    case "VarChar":
      return withArgs("character varying");
    case "Char":
      return withArgs("character");
    case "Citext":
      return "citext";
    case "Timestamptz":
      return `timestamp(${a || "6"}) with time zone`;
    case "Timestamp":
      return `timestamp(${a || "6"}) without time zone`;
    case "Timetz":
      return `time(${a || "6"}) with time zone`;
    case "Time":
      return `time(${a || "6"}) without time zone`;
    case "Date":
      return "date";
    case "Integer":
      return "integer";
    case "SmallInt":
      return "smallint";
    case "BigInt":
      return "bigint";
    case "Oid":
      return "oid";
    case "DoublePrecision":
      return "double precision";
    case "Real":
      return "real";
    case "Decimal":
      return withArgs("numeric");
    case "Money":
      return "money";
    case "Boolean":
      return "boolean";
    case "Json":
      return "json";
    case "JsonB":
      return "jsonb";
    case "ByteA":
      return "bytea";
    case "Inet":
      return "inet";
    case "Xml":
      return "xml";
    case "Bit":
      return withArgs("bit");
    case "VarBit":
      return withArgs("bit varying");
    default:
      throw new Error(`schema-shape does not know the native type @db.${name}; add it to nativeTypeToPostgres().`);
  }
}

const ON_ACTION: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

function expectedDefault(field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  if (value && typeof value === "object" && !Array.isArray(value) && "name" in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "autoincrement") return "nextval(...)";
    if (fn.name === "dbgenerated") return fn.args.length ? normaliseDefault(String(fn.args[0])) : null;
    // uuid(), cuid(), nanoid(), ulid() are filled in by Prisma Client, not by the database.
    return null;
  }
  if (Array.isArray(value)) return `{${value.map(String).join(",")}}`;
  return String(value);
}

export function shapeFromDmmf(datamodel: DmmfDatamodel): SchemaShape {
  const enums: Record<string, string[]> = {};
  for (const e of datamodel.enums) enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name).sort();
  const enumDbName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelsByName = new Map(datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  const tables: Record<string, TableShape> = {};
  for (const model of datamodel.models) {
    const columns: Record<string, ColumnShape> = {};
    const foreignKeys: string[] = [];
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const target = modelsByName.get(field.type)!;
          const from = field.relationFromFields.map((f) => columnOf(model, f));
          const to = (field.relationToFields ?? []).map((f) => columnOf(target, f));
          const onDelete = ON_ACTION[field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")];
          const onUpdate = ON_ACTION[field.relationOnUpdate ?? "Cascade"];
          foreignKeys.push(`(${from.join(", ")}) -> ${tableOf(target)}(${to.join(", ")}) on delete ${onDelete} on update ${onUpdate}`);
        }
        continue;
      }
      if (field.kind === "unsupported") continue;
      let type =
        field.kind === "enum"
          ? (enumDbName.get(field.type) ?? field.type)
          : field.nativeType
            ? nativeTypeToPostgres(field.nativeType[0], field.nativeType[1])
            : PRISMA_SCALAR_TYPES[field.type];
      if (!type) throw new Error(`schema-shape does not know the Prisma type ${field.type} (${model.name}.${field.name}).`);
      if (field.isList) type += "[]";
      columns[field.dbName ?? field.name] = {
        type,
        nullable: !field.isRequired && !field.isList,
        default: expectedDefault(field),
      };
    }
    const idFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
    const indexes = datamodel.indexes
      .filter((index) => index.model === model.name && (index.type === "unique" || index.type === "normal"))
      .map((index) => `${index.type === "unique" ? "unique" : "index"}(${index.fields.map((f) => columnOf(model, f.name)).join(", ")})`)
      .sort();
    tables[tableOf(model)] = {
      columns,
      primaryKey: idFields.map((f) => columnOf(model, f)),
      indexes,
      foreignKeys: foreignKeys.sort(),
    };
  }
  return { enums, tables };
}

// --- The database side -----------------------------------------------------------------------

/** Strips casts and quotes so that `'viewer'::"Role"` and the schema's `viewer` compare equal. */
function normaliseDefault(expression: string | null): string | null {
  if (expression === null) return null;
  let value = expression.trim();
  if (/^nextval\(/i.test(value)) return "nextval(...)";
  if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(value)) return "CURRENT_TIMESTAMP";
  value = value.replace(/::[\w\s"[\]().,]+$/, "");
  const quoted = /^'(.*)'$/s.exec(value);
  if (quoted) value = quoted[1].replace(/''/g, "'");
  if (/^[[{]/.test(value)) {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return value;
}

const IGNORED_TABLES = new Set(["_prisma_migrations"]);

export async function shapeFromDatabase(db: PGlite, schema = "public"): Promise<SchemaShape> {
  const enums: Record<string, string[]> = {};
  const enumRows = await db.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 ORDER BY t.typname, e.enumsortorder`,
    [schema],
  );
  for (const row of enumRows.rows) (enums[row.name] ??= []).push(row.value);
  for (const values of Object.values(enums)) values.sort();

  const tables: Record<string, TableShape> = {};
  const columnRows = await db.query<{ table: string; column: string; type: string; notnull: boolean; default: string | null }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  for (const row of columnRows.rows) {
    if (IGNORED_TABLES.has(row.table)) continue;
    const table = (tables[row.table] ??= { columns: {}, primaryKey: [], indexes: [], foreignKeys: [] });
    table.columns[row.column] = {
      type: row.type.replace(/"/g, ""),
      nullable: !row.notnull,
      default: normaliseDefault(row.default),
    };
  }

  const indexRows = await db.query<{ table: string; primary: boolean; unique: boolean; columns: string[] }>(
    `SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
            array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1`,
    [schema],
  );
  for (const row of indexRows.rows) {
    const table = tables[row.table];
    if (!table) continue;
    if (row.primary) table.primaryKey = row.columns;
    else table.indexes.push(`${row.unique ? "unique" : "index"}(${row.columns.join(", ")})`);
  }

  const fkRows = await db.query<{
    table: string;
    definition: string;
    target: string;
    columns: string[];
    targetColumns: string[];
    ondelete: string;
    onupdate: string;
  }>(
    `SELECT t.relname AS table, r.relname AS target,
            array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS "targetColumns",
            con.confdeltype::text AS ondelete, con.confupdtype::text AS onupdate
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND con.contype = 'f'`,
    [schema],
  );
  const action: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
  for (const row of fkRows.rows) {
    const table = tables[row.table];
    if (!table) continue;
    table.foreignKeys.push(
      `(${row.columns.join(", ")}) -> ${row.target}(${row.targetColumns.join(", ")}) on delete ${action[row.ondelete]} on update ${action[row.onupdate]}`,
    );
  }
  for (const table of Object.values(tables)) {
    table.indexes.sort();
    table.foreignKeys.sort();
  }
  return { enums, tables };
}

// --- The comparison --------------------------------------------------------------------------

/**
 * Differences in plain words, from the point of view of schema.prisma ("expected") versus the
 * database the migrations built ("actual"). Empty when they agree.
 */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

  for (const name of names(expected.enums, actual.enums)) {
    const want = expected.enums[name];
    const have = actual.enums[name];
    if (!have) problems.push(`enum ${name} is in schema.prisma but no migration creates it`);
    else if (!want) problems.push(`enum ${name} exists after the migrations but not in schema.prisma`);
    else {
      for (const value of want.filter((v) => !have.includes(v))) problems.push(`enum ${name} value '${value}' is in schema.prisma but no migration adds it`);
      for (const value of have.filter((v) => !want.includes(v)))
        problems.push(`enum ${name} value '${value}' exists after the migrations but not in schema.prisma`);
    }
  }

  for (const name of names(expected.tables, actual.tables)) {
    const want = expected.tables[name];
    const have = actual.tables[name];
    if (!have) {
      problems.push(`table ${name} (model) is in schema.prisma but no migration creates it`);
      continue;
    }
    if (!want) {
      problems.push(`table ${name} exists after the migrations but no model in schema.prisma maps to it`);
      continue;
    }
    for (const column of names(want.columns, have.columns)) {
      const w = want.columns[column];
      const h = have.columns[column];
      if (!h) problems.push(`column ${name}.${column} is in schema.prisma but no migration creates it`);
      else if (!w) problems.push(`column ${name}.${column} exists after the migrations but not in schema.prisma`);
      else {
        if (w.type !== h.type) problems.push(`column ${name}.${column} is ${w.type} in schema.prisma but ${h.type} after the migrations`);
        if (w.nullable !== h.nullable) {
          problems.push(
            `column ${name}.${column} is ${w.nullable ? "optional" : "required"} in schema.prisma but ${h.nullable ? "nullable" : "NOT NULL"} after the migrations`,
          );
        }
        if (w.default !== h.default) {
          problems.push(
            `column ${name}.${column} defaults to ${w.default ?? "nothing"} in schema.prisma but to ${h.default ?? "nothing"} after the migrations`,
          );
        }
      }
    }
    if (want.primaryKey.join(",") !== have.primaryKey.join(",")) {
      problems.push(`table ${name} primary key is (${want.primaryKey.join(", ")}) in schema.prisma but (${have.primaryKey.join(", ")}) after the migrations`);
    }
    for (const index of want.indexes.filter((i) => !have.indexes.includes(i)))
      problems.push(`table ${name} ${index} is in schema.prisma but no migration creates it`);
    for (const index of have.indexes.filter((i) => !want.indexes.includes(i)))
      problems.push(`table ${name} ${index} exists after the migrations but not in schema.prisma`);
    for (const fk of want.foreignKeys.filter((f) => !have.foreignKeys.includes(f)))
      problems.push(`table ${name} foreign key ${fk} is in schema.prisma but not after the migrations`);
    for (const fk of have.foreignKeys.filter((f) => !want.foreignKeys.includes(f)))
      problems.push(`table ${name} foreign key ${fk} exists after the migrations but not in schema.prisma`);
  }
  return problems;
}

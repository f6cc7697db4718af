import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { AppError } from "../errors/app-error";
import { closeDb, DatabaseUnavailableError, describeDatabaseError, openDb, redactUrl, resolveDatabaseTarget } from "./connect";
import { applyMigrations } from "./migrate";

describe("resolveDatabaseTarget", () => {
  it("picks PGlite or PostgreSQL from DATABASE_URL", () => {
    expect(resolveDatabaseTarget(undefined, ".data/pglite")).toMatchObject({ kind: "pglite", dataDir: path.resolve(".data/pglite") });
    expect(resolveDatabaseTarget(undefined)).toMatchObject({ kind: "pglite", dataDir: "memory://" });
    expect(resolveDatabaseTarget("memory://")).toMatchObject({ kind: "pglite", dataDir: "memory://" });
    expect(resolveDatabaseTarget("file:./somewhere/db")).toMatchObject({ kind: "pglite", dataDir: path.resolve("somewhere/db") });
    expect(resolveDatabaseTarget("file:///var/lib/fleetdeck")).toMatchObject({ kind: "pglite", dataDir: "/var/lib/fleetdeck" });
    expect(resolveDatabaseTarget("postgres://u:secret@db.internal:6543/fleet")).toMatchObject({
      kind: "postgres",
      label: "PostgreSQL at db.internal:6543",
    });
    expect(() => resolveDatabaseTarget("mysql://u:secret@h/db")).toThrow(/got "mysql:\/\/u:\*\*\*\*@h\/db"/);
  });

  it("never prints a password", () => {
    expect(redactUrl("postgresql://fleet:hunter2@db:5432/fleet")).toBe("postgresql://fleet:****@db:5432/fleet");
  });
});

describe("database errors", () => {
  it("turn an unreachable PostgreSQL into one readable sentence", async () => {
    const target = resolveDatabaseTarget("postgresql://fleet:pw@127.0.0.1:1/fleet");
    const db = openDb(target);
    try {
      const error = await db.user.count().then(
        () => undefined,
        (e: unknown) => describeDatabaseError(e, target),
      );
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(/^Cannot reach the database at 127\.0\.0\.1:1: /);
      expect((error as Error).message).not.toMatch(/invocation|\n/);
    } finally {
      await db.$disconnect();
    }
  });

  it("turn a NUL byte the database refuses into a BAD_REQUEST that says what to do", async () => {
    const target = resolveDatabaseTarget("memory://");
    const db = openDb(target);
    try {
      await applyMigrations(db);
      const error = await db.user.create({ data: { email: "nul@fleetdeck.test", name: "a\u0000b" } }).then(
        () => undefined,
        (e: unknown) => describeDatabaseError(e, target),
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "BAD_REQUEST", userMessage: "Text cannot contain NUL or other control characters; remove them and try again." });
    } finally {
      await closeDb(db);
    }
  });

  it("leave other errors alone", () => {
    const constraint = Object.assign(new Error("Unique constraint failed on the fields: (`email`)"), { code: "P2002" });
    expect(describeDatabaseError(constraint)).toBe(constraint);
  });
});

describe("embedded PGlite", () => {
  it("opens a data dir with small shared buffers (its memory is the portal's) and initdb's other settings", async () => {
    const { closeDb, pgliteOf } = await import("./connect");
    const dir = await mkdtemp(path.join(tmpdir(), "fleetdeck-pglite-"));
    const db = openDb(resolveDatabaseTarget(`file:${dir}`));
    try {
      const pglite = pgliteOf(db)!;
      const show = async (name: string) => Object.values((await pglite.query<Record<string, string>>(`SHOW ${name}`)).rows[0])[0];
      expect(await show("shared_buffers")).toBe("16MB");
      // PGlite rewrites postgresql.conf from our settings: initdb's own must survive it.
      expect(await show("TimeZone")).toBe("UTC");
      expect(await show("lc_messages")).toBe("C");
      expect(await show("max_wal_size")).toBe("1GB");
    } finally {
      await closeDb(db);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

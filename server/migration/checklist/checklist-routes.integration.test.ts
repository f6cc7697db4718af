/**
 * The checklist's download routes on the server side, with a real session cookie: the CSV and
 * Markdown export (filters, formats, the audit row, refusals) and the evidence file download.
 * The database is the runtime's own, so its start-up seeding of the checklist is exercised too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import { sessionCookieFor } from "@/scripts/test-support/session-cookie";

let workDir: string;
let db: PrismaClient;
let pm: AppSession;
let modules: {
  exportRoute: typeof import("@/app/api/migration/checklist/export/route");
  evidenceRoute: typeof import("@/app/api/migration/checklist/evidence/[id]/route");
  service: typeof import("@/server/migration/checklist/checklist-service");
  sessionToken: typeof import("@/server/auth/session-token");
  runtime: typeof import("@/server/runtime");
};

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-checklist-routes-"));
  // server/env.ts reads these on import, so the portal modules load only now.
  Object.assign(process.env, {
    DATABASE_URL: "memory://",
    FLEETDECK_DATA_DIR: path.join(workDir, "data"),
    NEXTAUTH_SECRET: "integration-test-secret-0123456789abcdef",
    MIGRATION_PLAN_START: "2027-01-04",
  });
  modules = {
    exportRoute: await import("@/app/api/migration/checklist/export/route"),
    evidenceRoute: await import("@/app/api/migration/checklist/evidence/[id]/route"),
    service: await import("@/server/migration/checklist/checklist-service"),
    sessionToken: await import("@/server/auth/session-token"),
    runtime: await import("@/server/runtime"),
  };
  db = modules.runtime.runtime().db;
  await modules.runtime.runtime().migrateDb();
  const user = await db.user.create({ data: { email: "pm@test.local", name: "Pat", role: "pm" } });
  pm = { user: { id: user.id, email: user.email, name: user.name, role: "pm" } };
}, 120_000);

afterAll(async () => {
  await modules?.runtime.runtime().stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function cookieFor(session: AppSession): Promise<string> {
  return sessionCookieFor(db, modules.sessionToken, session);
}

const exportUrl = (query: string) => `http://portal.test/api/migration/checklist/export?${query}`;

describe("checklist export route", () => {
  it("exports the filtered checklist as CSV and the whole one as Markdown, and records each export", async () => {
    const cookie = await cookieFor(pm);
    const csv = await modules.exportRoute.GET(
      new Request(exportUrl("format=csv&week=7&workstream=testing"), { headers: { cookie, "sec-fetch-site": "same-origin" } }),
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="migration-checklist_\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = Papa.parse<Record<string, string>>((await csv.text()).trim(), { header: true, newline: "\r\n" }).data;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.week === "7" && row.workstream === "Testing")).toBe(true);
    // Due dates count from MIGRATION_PLAN_START: week 7 ends on day 48.
    expect(new Set(rows.map((row) => row.dueDate))).toEqual(new Set(["2027-02-21"]));

    const markdown = await modules.exportRoute.GET(new Request(exportUrl("format=md"), { headers: { cookie } }));
    expect(markdown.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await markdown.text();
    expect(text).toMatch(/^# Migration checklist/);
    for (let week = 1; week <= 10; week += 1) expect(text).toContain(`## Week ${week}\n`);

    const audit = await db.auditEvent.findMany({ where: { action: "migration.checklist-export" }, orderBy: { at: "asc" } });
    expect(audit.map((row) => [row.actorEmail, row.targetId])).toEqual([
      ["pm@test.local", "csv"],
      ["pm@test.local", "md"],
    ]);
  });

  it("refuses the signed-out, a request from another site (recorded) and bad parameters, with a readable message", async () => {
    const cookie = await cookieFor(pm);
    const signedOut = await modules.exportRoute.GET(new Request(exportUrl("format=csv")));
    expect(signedOut.status).toBe(401);

    const crossSite = await modules.exportRoute.GET(new Request(exportUrl("format=csv"), { headers: { cookie, "sec-fetch-site": "cross-site" } }));
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("open the Migration page");
    const denied = await db.auditEvent.findFirstOrThrow({ where: { outcome: "denied", targetId: "/api/migration/checklist/export" } });
    expect(denied.actorEmail).toBe("pm@test.local");

    const badFormat = await modules.exportRoute.GET(new Request(exportUrl("format=xml"), { headers: { cookie } }));
    expect(badFormat.status).toBe(400);
    expect(await badFormat.text()).toContain('Choose the export format: "csv" or "md".');
    const badWeek = await modules.exportRoute.GET(new Request(exportUrl("format=csv&week=12"), { headers: { cookie } }));
    expect(badWeek.status).toBe(400);
    expect(await badWeek.text()).toContain("week: Weeks run from 1 to 10.");
  });
});

describe("evidence download route", () => {
  it("sends an evidence file as an attachment, never rendered, and 404s an unknown one", async () => {
    const cookie = await cookieFor(pm);
    const task = await db.migrationTask.findFirstOrThrow({ where: { seedKey: "w1-infra-rke2" } });
    const html = "<script>alert(1)</script>";
    const evidence = await modules.service.addTaskEvidence(db, pm.user, {
      kind: "file",
      taskId: task.id,
      fileName: "report <1>.html",
      contentType: "text/html",
      contentBase64: Buffer.from(html).toString("base64"),
    });
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const url = `http://portal.test/api/migration/checklist/evidence/${evidence.id}`;
    const response = await modules.evidenceRoute.GET(new Request(url, { headers: { cookie } }), params(evidence.id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toContain('attachment; filename="report _1_.html"');
    expect(await response.text()).toBe(html);

    const unknown = "00000000-0000-4000-8000-000000000001";
    expect((await modules.evidenceRoute.GET(new Request(url, { headers: { cookie } }), params(unknown))).status).toBe(404);
    expect((await modules.evidenceRoute.GET(new Request(url, { headers: { cookie } }), params("not-an-id"))).status).toBe(400);
    expect((await modules.evidenceRoute.GET(new Request(url), params(evidence.id))).status).toBe(401);
  });
});

import fc from "fast-check";

import { demoAccount, demoPassword, expect, test } from "./support/fixtures";
import { FUZZED_PROCEDURES, type FuzzedProcedure } from "./support/procedures";

// Sends ~10,000 generated requests through the production portal (every tRPC procedure, the route
// handlers, the tenant pages), signed out and signed in as admin, and fails on any 5xx, stack
// trace or internal path in an answer. Seeded: a failure prints the seed and the requests, and
// FUZZ_SEED=<seed> replays exactly those; FUZZ_SCALE=0.1 runs a tenth of them while debugging.
//
// State: generated inputs fail validation or name things that do not exist. The one shape that
// could change something, users.create with a valid email and password, always carries a control
// character in the name, and registry rows always carry one in some cell, so nothing is written.

const seed = Number(process.env.FUZZ_SEED ?? 90_210);
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const concurrency = 8;
/** How long a subscription may stream before the fuzzer hangs up (its first answer comes sooner). */
const subscriptionMs = 400;
const requestTimeoutMs = 15_000;

const repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

interface FuzzRequest {
  what: string;
  path: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  signedIn: boolean;
  sse?: boolean;
}

// --- generated values -----------------------------------------------------------------------------

const controlChar = fc.integer({ min: 0, max: 31 }).chain((code) => fc.constantFrom(String.fromCharCode(code), "\u0000", "\u007f"));
const withControl = fc.tuple(fc.string({ maxLength: 12 }), controlChar, fc.string({ maxLength: 12 })).map(([a, c, b]) => `${a}${c}${b}`);
const hugeString = fc.tuple(fc.constantFrom("a", "é", "🚀", "\u0000", "%"), fc.integer({ min: 1_000, max: 60_000 })).map(([ch, n]) => ch.repeat(n));
const unicode = fc.string({ unit: "binary", maxLength: 40 });
const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => ` ${id}\t`),
  fc.uuid().map((id) => id.replace(/-/g, "")),
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => id.slice(0, 35)),
  fc.constant("00000000-0000-0000-0000-000000000000"),
);
const weirdNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5));
const weirdScalar = fc.oneof(unicode, withControl, uuidLike, weirdNumber, fc.boolean(), fc.constant(null), fc.string({ maxLength: 30 }));
const weirdValue = fc.oneof(
  { weight: 6, arbitrary: weirdScalar },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.array(weirdScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), weirdScalar, { maxKeys: 3 }) },
);

const INPUT_KEYS: Record<FuzzedProcedure, string[]> = {
  "account.signOutEverywhere": [],
  "audit.list": ["who", "action", "target", "outcome", "from", "to", "page", "pageSize"],
  "fleet.summary": [],
  "fleet.diagnostics": [],
  "fleet.onChange": ["lastEventId"],
  // A generated problemKind is no kind the portal reports (the input check refuses it), so no acknowledgement is ever written.
  "fleet.acknowledge": ["tenantId", "problemKind", "reason", "forHours"],
  "fleet.withdrawAcknowledgement": ["acknowledgementId"],
  "logs.targets": ["tenantId"],
  "migration.gates.list": [],
  "migration.gates.onChange": ["lastEventId"],
  "migration.gates.attestations": ["taskId"],
  "migration.gates.currentAttestations": [],
  // A generated taskId names no task (NOT_FOUND), so no attestation is ever written.
  "migration.gates.attest": ["taskId", "note", "expiresAt"],
  "migration.gates.revokeAttestation": ["attestationId", "reason"],
  "migration.tenants.get": ["tenantId"],
  "migration.tenants.recordStep": ["tenantId", "to", "reason", "evidence", "expectFrom"],
  "logs.stream": ["tenantId", "pod", "container", "previous", "tailLines", "sinceSeconds", "sinceTime", "follow", "lastEventId"],
  "migration.waves.list": [],
  "migration.waves.board": ["waveId"],
  "migration.waves.progress": [],
  "migration.waves.previewSelection": ["selection"],
  "migration.waves.create": ["name", "description", "selection", "windowStart", "windowEnd", "batchSize", "concurrency", "failureBudget", "exitGateHours"],
  "migration.waves.attest": ["waveId", "to", "evidence"],
  "migration.waves.act": ["waveId", "action"],
  "migration.waves.cancel": ["waveId"],
  "migration.waves.rollback": ["waveId", "tenantId", "reason"],
  "migration.checklist.list": ["week", "workstream", "status", "owner", "priority"],
  "migration.checklist.get": ["taskId"],
  "migration.checklist.owners": [],
  "migration.checklist.burnUp": [],
  "migration.checklist.update": ["taskId", "ownerId", "dueDate", "status", "blockedReason"],
  "migration.checklist.addEvidence": ["kind", "taskId", "title", "url", "note", "fileName", "contentType", "contentBase64"],
  "migration.checklist.removeEvidence": ["evidenceId"],
  "registry.preview": ["text", "format", "cluster"],
  "registry.import": ["text", "format", "cluster"],
  "runbooks.actions": ["tenantId"],
  "runbooks.preview": ["tenantId", "runbookId", "input"],
  "runbooks.confirm": ["tenantId", "runbookId", "input", "planHash", "idempotencyKey"],
  "runbooks.approve": ["runId", "comment"],
  "runbooks.reject": ["runId", "comment"],
  "runbooks.cancel": ["runId"],
  "runbooks.run": ["runId"],
  "runbooks.list": ["tenantId", "runbookId", "requestedBy", "state", "from", "to", "cursor", "limit"],
  "runbooks.tenantRuns": ["tenantId", "limit"],
  "runbooks.onRun": ["runId", "lastEventId"],
  "runbooks.onRunsChanged": ["lastEventId"],
  "runbooks.batches.list": ["limit"],
  "runbooks.batches.get": ["batchId"],
  "runbooks.batches.items": ["batchId", "state", "page", "pageSize"],
  "runbooks.batches.preview": ["request", "selection"],
  "runbooks.batches.create": ["request", "selection", "concurrency", "failureBudget", "idempotencyKey"],
  "runbooks.batches.approve": ["batchId", "comment"],
  "runbooks.batches.reject": ["batchId", "comment"],
  "runbooks.batches.cancel": ["batchId"],
  "runbooks.batches.pause": ["batchId"],
  "runbooks.batches.resume": ["batchId"],
  "runbooks.batches.retryFailed": ["batchId"],
  "serviceTokens.list": [],
  "serviceTokens.create": ["name", "scopes", "expiresInDays"],
  "serviceTokens.revoke": ["tokenId"],
  "tenants.list": ["q", "health", "instanceType", "billingStatus", "odooVersion", "problem", "sort", "dir", "page", "pageSize"],
  "tenants.get": ["id"],
  "tenants.orphan": ["instanceId"],
  "tenants.onChange": ["id", "lastEventId"],
  "tenants.timeline": ["id", "kinds", "limit"],
  "users.list": [],
  "users.create": ["email", "name", "role", "password"],
  "users.setRole": ["userId", "role"],
  "users.setDisabled": ["userId", "disabled"],
  "users.resetPassword": ["userId", "password"],
  "users.sessions": ["userId"],
  "users.revokeSession": ["userId", "sessionId"],
  "users.revokeAllSessions": ["userId"],
};

/** Sent signed out only: signed in, it would end the admin session the rest of the run uses. */
const SIGNED_OUT_ONLY: ReadonlySet<FuzzedProcedure> = new Set(["account.signOutEverywhere"]);

/** Values a field would accept, so generated inputs also get past one check and fail at the next. */
function plausible(key: string, tenantIds: string[]): fc.Arbitrary<unknown> {
  const tenant = fc.oneof(fc.constantFrom(...tenantIds), uuidLike);
  switch (key) {
    case "id":
    case "tenantId":
    case "instanceId":
      return tenant;
    case "userId":
    case "sessionId":
      return uuidLike;
    case "role":
      return fc.constantFrom("admin", "operator", "pm", "viewer", "root", "");
    case "format":
      return fc.constantFrom("csv", "json", "xml");
    case "follow":
    case "previous":
    case "disabled":
      return fc.boolean();
    case "tailLines":
    case "sinceSeconds":
    case "page":
    case "pageSize":
      return weirdNumber;
    case "who":
    case "action":
    case "target":
      return fc.oneof(withControl, unicode, fc.constantFrom("logs.read", "procedure.call", "admin@fleetdeck.local"));
    case "outcome":
      return fc.constantFrom("success", "denied", "failure", "maybe");
    case "sinceTime":
    case "from":
    case "to":
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom("+275760-09-13T00:00:00Z", "2026-13-45T99:99", "yesterday"),
      );
    case "health":
    case "instanceType":
    case "billingStatus":
    case "problem":
    case "odooVersion":
      return fc.array(fc.constantFrom("healthy", "degraded", "production", "active", "17.0", "crashloop", "x\u0000"), { maxLength: 3 });
    case "sort":
    case "dir":
      return fc.constantFrom("name", "health", "asc", "desc", "__proto__");
    case "email":
      return fc.oneof(
        fc.emailAddress(),
        withControl.map((s) => `${s}@fuzz.test`),
      );
    case "name":
    case "q":
      return fc.oneof(withControl, unicode);
    case "password":
      return fc.oneof(fc.string({ minLength: 12, maxLength: 30 }), withControl);
    case "pod":
    case "container":
      return fc.oneof(fc.constantFrom("odoo", "web-0", "a".repeat(300)), withControl);
    case "text":
      return registryText(tenantIds);
    default:
      return weirdValue;
  }
}

/** CSV or JSON registry files whose rows always hold a control character somewhere. */
function registryText(tenantIds: string[]): fc.Arbitrary<string> {
  const header = "id,name,database_name,customer_id,admin_email,instance_type,odoo_version,billing_status";
  const row = fc
    .tuple(fc.oneof(fc.constantFrom(...tenantIds), fc.uuid()), withControl, fc.uuid(), fc.integer({ min: 0, max: 7 }))
    .map(([id, name, customer, poisoned]) => {
      const cells = [id, name, "fuzz_db", customer, "ops@fuzz.test", "production", "17.0", "active"];
      cells[poisoned] = `${cells[poisoned]}\u0000`;
      return cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(",");
    });
  return fc.oneof(
    fc.array(row, { minLength: 1, maxLength: 3 }).map((rows) => [header, ...rows].join("\n")),
    fc.string({ maxLength: 200 }),
    fc.jsonValue().map((value) => JSON.stringify(value)),
  );
}

function procedureInput(procedure: FuzzedProcedure, tenantIds: string[]): fc.Arbitrary<unknown> {
  const keys = INPUT_KEYS[procedure];
  const shaped =
    keys.length === 0
      ? fc.constant(undefined)
      : fc.record(
          Object.fromEntries(keys.map((key) => [key, fc.oneof({ weight: 3, arbitrary: plausible(key, tenantIds) }, { weight: 1, arbitrary: weirdValue })])),
          {
            requiredKeys: [],
          },
        );
  const input = fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 2, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: weirdValue });
  if (procedure !== "users.create") return input;
  // A valid-looking new user always keeps one control character in the name (see the header).
  return input.map((value) =>
    value && typeof value === "object" && "name" in value && typeof value.name === "string" ? { ...value, name: `${value.name}\u0000` } : value,
  );
}

/** encodeURIComponent, except that a lone surrogate becomes a broken escape instead of a throw. */
function encode(text: string): string {
  return Array.from(text, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return "%ED%A0";
    }
  }).join("");
}

const brokenEscape = fc.oneof(
  fc.constantFrom("%", "%E0%A4%A", "%C0%AF", "%FF", "%00", "%2F", "%25", "%%", "%zz", "%C3", "%ED%A0%80", ".."),
  fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, "0").toUpperCase()}`),
);
const pathSegment = fc
  .array(fc.oneof(brokenEscape, fc.string({ maxLength: 8 }).map(encode), unicode.map(encode), uuidLike.map(encode)), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(""));
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("tenantId", "pod", "container", "previous", "tailLines", "sinceSeconds", "sinceTime", "follow", "q", "page"), pathSegment),
      pathSegment,
    ),
    {
      maxLength: 5,
    },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join("&"));

/** The audit filters' URL parameters, with values that are right, wrong or broken. */
const auditQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom("who", "action", "target", "outcome", "from", "to", "page", "pageSize"),
      fc.oneof(pathSegment, withControl.map(encode), fc.constantFrom("denied", "2026-12-02T09:00:00Z", "1")),
    ),
    {
      maxLength: 4,
    },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join("&"));

// --- requests ---------------------------------------------------------------------------------------

function trpcRequests(tenantIds: string[]): fc.Arbitrary<FuzzRequest> {
  const procedure = fc.constantFrom(...(Object.keys(FUZZED_PROCEDURES) as FuzzedProcedure[]));
  return fc
    .tuple(procedure, fc.boolean(), fc.integer({ min: 0, max: 9 }), fc.jsonValue(), fc.string({ maxLength: 40 }))
    .chain(([name, wantSignedIn, variant, meta, garbage]) =>
      procedureInput(name, tenantIds).map((input): FuzzRequest => {
        const signedIn = wantSignedIn && !SIGNED_OUT_ONLY.has(name);
        const wire = variant === 0 ? garbage : (JSON.stringify(variant === 1 ? { json: input, meta } : { json: input }) ?? "null");
        const type = FUZZED_PROCEDURES[name];
        const what = `${name} ${type} (${signedIn ? "admin" : "signed out"})`;
        if (type === "mutation") {
          return { what, signedIn, path: `/api/trpc/${name}`, method: "POST", body: wire, headers: { "content-type": "application/json" } };
        }
        const path = `/api/trpc/${name}?input=${encode(wire)}`;
        return type === "subscription" ? { what, signedIn, path, sse: true } : { what, signedIn, path };
      }),
    );
}

function otherRequests(tenantIds: string[]): fc.Arbitrary<FuzzRequest> {
  const tenantSegment = fc.oneof(fc.constantFrom(...tenantIds), uuidLike.map(encode), pathSegment);
  return fc.boolean().chain((signedIn) =>
    fc.oneof(
      // Procedure names that do not exist, broken escapes and batches in the tRPC path.
      fc.tuple(pathSegment, fc.boolean()).map(([segment, post]): FuzzRequest => ({
        what: "tRPC path",
        signedIn,
        path: `/api/trpc/${segment}`,
        ...(post ? { method: "POST" as const, body: "{}", headers: { "content-type": "application/json" } } : {}),
      })),
      fc.tuple(pathSegment, queryString).map(([segment, query]): FuzzRequest => ({ what: "tenant page", signedIn, path: `/tenants/${segment}?${query}` })),
      fc.tuple(tenantSegment, queryString).map(([segment, query]): FuzzRequest => ({ what: "log page", signedIn, path: `/tenants/${segment}/logs?${query}` })),
      fc
        .tuple(tenantSegment, queryString)
        .map(([tenant, query]): FuzzRequest => ({ what: "log download", signedIn, path: `/api/logs/download?tenantId=${tenant}&${query}` })),
      fc.tuple(auditQuery, queryString).map(([audit, query]): FuzzRequest => ({ what: "audit export", signedIn, path: `/api/audit/export?${audit}&${query}` })),
      fc
        .tuple(pathSegment, queryString)
        .map(([segment, query]): FuzzRequest => ({ what: "diagnostics download", signedIn, path: `/api/tenants/${segment}/diagnostics?${query}` })),
      // The migration scripts' API: never a valid token here, so nothing moves (each refusal is audited).
      fc
        .tuple(tenantSegment, fc.jsonValue(), fc.constantFrom("", "Bearer", "Bearer fdt_not-a-token", "Basic YWRtaW46YWRtaW4=", `Bearer ${"x".repeat(300)}`))
        .map(([segment, body, authorization]): FuzzRequest => ({
          what: "migration step report",
          signedIn,
          path: `/api/migration/v1/tenants/${segment}/steps`,
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        })),
      fc.tuple(pathSegment, queryString).map(([segment, query]): FuzzRequest => ({ what: "run page", signedIn, path: `/runs/${segment}?${query}` })),
      fc.tuple(queryString, fc.constantFrom("csv", "md", "xml", "")).map(([query, format]): FuzzRequest => ({
        what: "checklist export",
        signedIn,
        path: `/api/migration/checklist/export?format=${format}&${query}`,
      })),
      fc
        .tuple(pathSegment, queryString)
        .map(([segment, query]): FuzzRequest => ({ what: "evidence download", signedIn, path: `/api/migration/checklist/evidence/${segment}?${query}` })),
      fc
        .tuple(queryString, uuidLike.map(encode))
        .map(([query, task]): FuzzRequest => ({ what: "migration page", signedIn, path: `/migration?task=${task}&${query}` })),
      fc.tuple(auditQuery, queryString).map(([filters, query]): FuzzRequest => ({ what: "runs page", signedIn, path: `/runs?${filters}&${query}` })),
      fc.tuple(auditQuery, queryString).map(([audit, query]): FuzzRequest => ({ what: "audit page", signedIn, path: `/audit?${audit}&${query}` })),
      fc.tuple(pathSegment, queryString).map(([segment, query]): FuzzRequest => ({ what: "auth route", signedIn, path: `/api/auth/${segment}?${query}` })),
      fc
        .constantFrom(
          "/api/auth/csrf",
          "/api/auth/session",
          "/api/auth/providers",
          "/api/health",
          "/sign-in?callbackUrl=%E0%A4%A",
          "/users",
          "/registry",
          "/audit",
          "/tokens",
        )
        .map((path): FuzzRequest => ({ what: "fixed route", signedIn, path })),
      fc.tuple(pathSegment, queryString).map(([segment, query]): FuzzRequest => ({ what: "any page", signedIn, path: `/${segment}?${query}` })),
    ),
  );
}

// --- checks -----------------------------------------------------------------------------------------

/** What an answer must never show; returns the reason it is wrong, or undefined. */
function leak(body: string): string | undefined {
  if (/\n\s+at \S.*[(:]/.test(body)) return "a stack trace";
  if (/\b\w*Error: [^\n]*\.(?:[cm]?js|ts|tsx):\d+/.test(body)) return "an error with a file path";
  if (body.includes(repoRoot)) return "the repository's path";
  for (const internal of ["node_modules", "/server/", ".next/", "webpack-internal"]) if (body.includes(internal)) return `an internal path (${internal})`;
  if (/"code":"INTERNAL_SERVER_ERROR"|"httpStatus":5\d\d/.test(body)) return "an internal error in a tRPC answer";
  return undefined;
}

/** Answers by status, printed at the end: a run where everything is a 401 or a 404 tests little. */
const statuses = new Map<string, number>();
let resent = 0;

/**
 * A connection the server closed as idle just when the client reused it fails with "other side
 * closed" before the request is sent; that is keep-alive timing, not an answer, so it is sent once more.
 */
async function send(baseURL: string, cookie: string, request: FuzzRequest): Promise<string | undefined> {
  const problem = await sendOnce(baseURL, cookie, request);
  if (!problem?.startsWith("request failed")) return problem;
  resent += 1;
  return sendOnce(baseURL, cookie, request);
}

async function sendOnce(baseURL: string, cookie: string, request: FuzzRequest): Promise<string | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), request.sse ? subscriptionMs : requestTimeoutMs);
  const headers: Record<string, string> = { ...request.headers };
  if (request.signedIn) headers.cookie = cookie;
  if (request.method === "POST") headers.origin = baseURL;
  if (request.sse) headers.accept = "text/event-stream";
  let status = 0;
  let body = "";
  try {
    const response = await fetch(`${baseURL}${request.path}`, {
      method: request.method ?? "GET",
      headers,
      body: request.body,
      redirect: "manual",
      signal: abort.signal,
    });
    status = response.status;
    if (request.sse && response.body) {
      // The first event after "connected" says whether the stream opened; then hang up.
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (!/event: (?!connected)\w/.test(body)) {
        const { done, value } = await reader.read();
        if (done) break;
        body += value;
      }
      abort.abort();
    } else {
      body = await response.text();
    }
  } catch (error) {
    if (!abort.signal.aborted) {
      const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
      return `request failed: ${(error as Error).message}${cause ? ` (${cause.code ?? ""} ${cause.message ?? ""})` : ""}`;
    }
    if (!request.sse) return `no answer within ${requestTimeoutMs} ms`;
  } finally {
    clearTimeout(timer);
  }
  const tally = `${request.what.split(" (")[0]} ${status}`;
  statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
  if (status >= 500) return `HTTP ${status}: ${body.slice(0, 300)}`;
  const found = leak(body);
  return found ? `HTTP ${status} with ${found}: ${body.slice(0, 300)}` : undefined;
}

async function adminCookie(baseURL: string): Promise<string> {
  const csrfResponse = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const signIn = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: baseURL },
    body: new URLSearchParams({ csrfToken, email: demoAccount("admin"), password: demoPassword, json: "true" }),
  });
  const cookies = signIn.headers.getSetCookie().map((c) => c.split(";")[0]);
  const session = cookies.find((c) => /session-token=/.test(c));
  if (!session) throw new Error(`signing in as admin failed (${signIn.status})`);
  return [csrfCookie, session].join("; ");
}

test.describe.configure({ mode: "serial" });

test("[FUZZ] 10,000 generated requests get no 5xx, stack trace or internal path", async ({ baseURL }) => {
  // ~2 min on a quiet 2-core machine; the first attempt of one run on a loaded machine passed 3 min.
  test.setTimeout(300_000);
  const cookie = await adminCookie(baseURL!);
  const listed = await fetch(`${baseURL}/api/trpc/tenants.list?input=${encodeURIComponent(JSON.stringify({ json: { pageSize: 20 } }))}`, {
    headers: { cookie },
  });
  const tenantIds = ((await listed.json()) as { result: { data: { json: { items: { id: string }[] } } } }).result.data.json.items.map((row) => row.id);
  expect(tenantIds.length).toBeGreaterThan(0);

  const trpcCount = Math.round(7_000 * scale);
  const otherCount = Math.round(3_200 * scale);
  const trpc = fc.sample(trpcRequests(tenantIds), { seed, numRuns: trpcCount });
  const other = fc.sample(otherRequests(tenantIds), { seed: seed + 1, numRuns: otherCount });
  // Interleaved, so slow page renders and held subscriptions spread over the whole run.
  const requests = trpc.flatMap((request, index) => (index < other.length ? [request, other[index]] : [request]));
  requests.push(...other.slice(trpc.length));
  const failures: string[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length && failures.length < 20) {
        const request = requests[next++];
        const problem = await send(baseURL!, cookie, request);
        if (problem)
          failures.push(
            `${request.what} ${request.method ?? "GET"} ${request.path.slice(0, 300)}${request.body ? ` body=${request.body.slice(0, 200)}` : ""}\n    → ${problem}`,
          );
      }
    }),
  );
  console.log(`fuzz: ${next} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed}), ${resent} sent again after a network failure`);
  if (process.env.FUZZ_VERBOSE)
    console.log(
      [...statuses]
        .sort()
        .map(([what, count]) => `  ${what}: ${count}`)
        .join("\n"),
    );
  expect(failures, `seed ${seed} (replay with FUZZ_SEED=${seed}):\n${failures.join("\n")}`).toEqual([]);
  expect(next).toBeGreaterThanOrEqual(Math.round(10_000 * scale));
});

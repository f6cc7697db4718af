import "server-only";

// Read-only, like all of collect-diagnostics: it sends no mutation, so there is no dry-run preview to make
// (the runbook engine previews every mutating runbook; this one is a download, see server/runbooks/index.ts).

import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";

import { pack as tarPack, type Pack } from "tar-stream";
import { stringify as toYaml } from "yaml";

import type { TenantDetail, TenantRecord } from "@/lib/tenants/types";
import { AppError } from "@/server/errors/app-error";
import type { ClusterSource } from "@/server/kube/cluster-source";
import type { RawObject } from "@/server/kube/watch-stream";
import { describeTenant } from "./describe";
import { formatEvents } from "./events";
import { listNamespaceObjects, type DiagnosticKind, type NamespaceObjects } from "./namespace-objects";
import { logFileTargets, readLogFile, type LogFileTarget } from "./pod-log-files";
import { renderReadme, type ArchiveReport } from "./readme";
import { formatBytes } from "./text-table";
import { formatVolumes } from "./volumes";

/**
 * The "Collect diagnostics" runbook: one tenant's namespace as a .tar.gz an operator can hand to
 * whoever debugs it. Two steps, so the route can answer errors as JSON and audit before any byte
 * is sent: `planDiagnostics` lists the namespace (a dozen small lists; an unreachable cluster
 * rejects here), then `streamDiagnostics` writes the archive entry by entry through tar and gzip
 * with backpressure, reading each log as its turn comes. Only one entry is ever held in memory.
 */

/** What the archive reads: the tenant's cluster, through server/kube only. */
export type DiagnosticsSource = Pick<ClusterSource, "name" | "listObjects" | "openPodLog" | "volumeUsage">;

export interface DiagnosticsPlan {
  tenant: TenantDetail;
  namespace: string;
  cluster: string;
  objects: NamespaceObjects;
  logs: LogFileTarget[];
}

export interface DiagnosticsOptions {
  collectedBy: { name: string; email: string };
  now: Date;
  /** The archive's cap, uncompressed (tar bytes): DIAGNOSTICS_MAX_MIB. */
  maxBytes: number;
  perLogBytes?: number;
  tailLines?: number;
  logTimeoutMs?: number;
  /** The request's: a client that goes away stops the collection. */
  signal?: AbortSignal;
}

const DEFAULT_PER_LOG_BYTES = 4 * 1024 * 1024;
const DEFAULT_TAIL_LINES = 20_000;
const DEFAULT_LOG_TIMEOUT_MS = 30_000;
/** Room kept for the README, which is written last and says what the cap left out. */
const README_RESERVE_BYTES = 256 * 1024;
/** A tar header, plus a pax header for a path too long for ustar. */
const ENTRY_OVERHEAD_BYTES = 1024;
/** The two zero blocks that end a tar. */
const TAR_END_BYTES = 1024;
/** A log that would get less than this is left out instead of kept as a stub. */
const MIN_LOG_BYTES = 4 * 1024;

/** diagnostics-<databaseName>-<UTC yyyymmdd-hhmmss>.tar.gz */
export function diagnosticsFileName(databaseName: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `diagnostics-${databaseName.replace(/[^A-Za-z0-9._-]/g, "_")}-${stamp}.tar.gz`;
}

/** The registry's fields of the tenant (the detail adds the cluster's, and its updatedAt is the summary's). */
function registryRecordOf(tenant: TenantDetail): Omit<TenantRecord, "updatedAt"> {
  const { id, name, databaseName, customerId, customerEmail, instanceType, odooVersion, billingStatus, cluster, createdAt } = tenant;
  return { id, name, databaseName, customerId, customerEmail, instanceType, odooVersion, billingStatus, cluster, createdAt };
}

/**
 * Lists what the archive will hold. CONFLICT when the tenant has no namespace in its cluster (there
 * is nothing to collect); the KubeError when the cluster cannot be read at all.
 */
export async function planDiagnostics(source: DiagnosticsSource, tenant: TenantDetail, request: { signal?: AbortSignal } = {}): Promise<DiagnosticsPlan> {
  const namespace = tenant.namespace;
  if (!namespace) {
    throw new AppError("CONFLICT", {
      message: `tenant ${tenant.id} has no namespace in cluster ${source.name}`,
      userMessage: `Tenant ${tenant.databaseName} has no namespace in cluster "${source.name}" (not provisioned, or deleted): there is nothing to collect.`,
    });
  }
  const objects = await listNamespaceObjects(source, namespace, { signal: request.signal });
  return { tenant, namespace, cluster: source.name, objects, logs: logFileTargets(objects.objects.get("pods") ?? []) };
}

/** Counts for the audit row, known before streaming starts. */
export function planSummary(plan: DiagnosticsPlan, options: Pick<DiagnosticsOptions, "maxBytes">): Record<string, unknown> {
  return {
    databaseName: plan.tenant.databaseName,
    cluster: plan.cluster,
    namespace: plan.namespace,
    objects: Object.fromEntries([...plan.objects.objects].map(([kind, items]) => [kind, items.length])),
    skippedKinds: plan.objects.skipped.map((skipped) => `${skipped.kind} (${skipped.why})`),
    logFiles: plan.logs.length,
    maxBytes: options.maxBytes,
  };
}

/** Tar bytes an entry of `size` bytes takes, its header included. */
function entryCost(size: number): number {
  return ENTRY_OVERHEAD_BYTES + Math.ceil(size / 512) * 512;
}

function objectFileName(object: RawObject, index: number): string {
  const name = object.metadata?.name ?? `unnamed-${index}`;
  return `${name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_")}.yaml`;
}

export interface DiagnosticsArchive {
  /** The .tar.gz bytes; destroying it stops the collection. */
  stream: Readable;
  /** Resolves with what went in once the last entry is in the tar (gzip may still be flushing); rejects if the collection failed or was cancelled. */
  finished: Promise<ArchiveReport & { bytes: number }>;
}

export function streamDiagnostics(source: DiagnosticsSource, plan: DiagnosticsPlan, options: DiagnosticsOptions): DiagnosticsArchive {
  const tar: Pack = tarPack();
  const gzip = createGzip();
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  tar.on("error", (error: Error) => gzip.destroy(error));
  tar.pipe(gzip);
  // A consumer that goes away (the browser cancelled) ends the log reads and the tar with it.
  gzip.on("close", () => {
    if (!gzip.writableFinished) {
      stop.abort(new Error("the download was cancelled"));
      tar.destroy();
    }
  });

  const finished = writeArchive(tar, source, plan, { ...options, signal });
  finished.catch((error: unknown) => {
    stop.abort(error);
    tar.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return { stream: gzip, finished };
}

async function writeArchive(tar: Pack, source: DiagnosticsSource, plan: DiagnosticsPlan, options: DiagnosticsOptions & { signal: AbortSignal }) {
  const perLogBytes = Math.min(options.perLogBytes ?? DEFAULT_PER_LOG_BYTES, options.maxBytes);
  const tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
  const report: ArchiveReport = { files: [], truncatedLogs: [], unavailableLogs: [], leftOutForCap: [], skippedKinds: plan.objects.skipped, errors: [] };
  const budget = options.maxBytes - README_RESERVE_BYTES - TAR_END_BYTES;
  let used = 0;
  const mtime = options.now;

  const addEntry = (path: string, data: Buffer) =>
    new Promise<void>((resolve, reject) => {
      tar.entry({ name: path, size: data.length, mtime }, data, (error) => (error ? reject(error) : resolve()));
    });
  /** Adds the file if it fits the cap, else notes it as left out. */
  const add = async (path: string, content: string | Buffer): Promise<boolean> => {
    options.signal.throwIfAborted();
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    if (used + entryCost(data.length) > budget) {
      report.leftOutForCap.push(path);
      return false;
    }
    used += entryCost(data.length);
    report.files.push({ path, bytes: data.length });
    await addEntry(path, data);
    return true;
  };

  const objectsOf = (kind: DiagnosticKind) => plan.objects.objects.get(kind) ?? [];
  await add("tenant.json", `${JSON.stringify(registryRecordOf(plan.tenant), null, 2)}\n`);
  await add(
    "describe.txt",
    describeTenant({
      namespace: plan.namespace,
      deployments: objectsOf("deployments"),
      pods: objectsOf("pods"),
      pvcs: objectsOf("persistentvolumeclaims"),
      deployment: plan.tenant.deployment,
      pvcViews: plan.tenant.pvcs,
    }),
  );
  if (plan.objects.objects.has("events")) await add("events.txt", formatEvents(objectsOf("events")));
  const claims = objectsOf("persistentvolumeclaims").map((pvc) => pvc.metadata?.name ?? "");
  await add(
    "volumes.txt",
    formatVolumes(claims, (pvc) => source.volumeUsage(plan.namespace, pvc)),
  );
  for (const [kind, objects] of plan.objects.objects) {
    for (const [index, object] of objects.entries()) await add(`objects/${kind}/${objectFileName(object, index)}`, toYaml(object, { lineWidth: 0 }));
  }

  for (const target of plan.logs) {
    const room = budget - used - ENTRY_OVERHEAD_BYTES;
    const maxBytes = Math.min(perLogBytes, room);
    if (maxBytes < MIN_LOG_BYTES) {
      report.leftOutForCap.push(target.path);
      continue;
    }
    const read = await readLogFile(source, plan.namespace, target, {
      maxBytes,
      tailLines,
      signal: options.signal,
      timeoutMs: options.logTimeoutMs ?? DEFAULT_LOG_TIMEOUT_MS,
    });
    options.signal.throwIfAborted();
    if (!read.ok) {
      if (read.unavailable) report.unavailableLogs.push({ path: target.path, message: read.message });
      else report.errors.push({ what: target.path, message: read.message });
      continue;
    }
    if (read.cut === "bytes") {
      report.truncatedLogs.push({
        path: target.path,
        why:
          maxBytes < perLogBytes
            ? `cut at ${formatBytes(maxBytes)}, what was left of the archive's size cap`
            : `cut at the per-log cap of ${formatBytes(maxBytes)}`,
      });
    } else if (read.cut === "lines") {
      report.truncatedLogs.push({ path: target.path, why: `only its last ${tailLines} lines were read` });
    }
    await add(target.path, read.data);
  }

  const readme = renderReadme({
    tenant: plan.tenant,
    namespace: plan.namespace,
    cluster: plan.cluster,
    collectedAt: options.now,
    collectedBy: options.collectedBy,
    maxBytes: options.maxBytes,
    perLogBytes,
    tailLines,
    report,
  });
  await addEntry("README.md", Buffer.from(readme, "utf8"));
  used += entryCost(Buffer.byteLength(readme));
  tar.finalize();
  return { ...report, bytes: used + TAR_END_BYTES };
}

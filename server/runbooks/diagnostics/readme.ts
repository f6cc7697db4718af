import "server-only";

// Read-only, like all of collect-diagnostics: it sends no mutation, so there is no dry-run preview to make
// (the runbook engine previews every mutating runbook; this one is a download, see server/runbooks/index.ts).

import type { TenantDetail } from "@/lib/tenants/types";
import type { SkippedKind } from "./namespace-objects";
import { formatBytes, oneLine } from "./text-table";

/** What went into the archive and what did not: the README is written from it, last. */
export interface ArchiveReport {
  files: { path: string; bytes: number }[];
  /** Logs kept only in part, and how. */
  truncatedLogs: { path: string; why: string }[];
  /** Logs the API has none of (a container not started yet, no previous instance, a pod gone). */
  unavailableLogs: { path: string; message: string }[];
  /** Files left out because the archive reached its size cap. */
  leftOutForCap: string[];
  skippedKinds: SkippedKind[];
  /** Reads that failed: "what" names the file or request. */
  errors: { what: string; message: string }[];
}

export interface ReadmeInput {
  tenant: TenantDetail;
  namespace: string;
  cluster: string;
  collectedAt: Date;
  collectedBy: { name: string; email: string };
  maxBytes: number;
  perLogBytes: number;
  tailLines: number;
  report: ArchiveReport;
}

/** Long lists stop here, so the README always fits the room kept for it. */
const MAX_LISTED = 100;
/** An API message is a sentence or two; a longer one is cut, for the same reason. */
const MAX_MESSAGE = 300;

function message(text: string): string {
  const line = oneLine(text);
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) lines.push(`- … and ${items.length - MAX_LISTED} more`);
  return lines;
}

/** A table cell: a pipe or a newline would end it early. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

const DESCRIPTIONS: [RegExp, string][] = [
  [/^tenant\.json$/, "the tenant's registry record"],
  [/^describe\.txt$/, "the Deployment, each pod and container, each volume claim, `kubectl describe`-like"],
  [/^events\.txt$/, "the namespace's events, oldest first"],
  [/^volumes\.txt$/, "volume usage (used / capacity / percent) from the kubelet's stats as the portal last read them"],
  [/\.previous\.log$/, "log of the container's previous (terminated) instance"],
  [/\.log$/, "current log of the container"],
];

function describePath(path: string): string {
  return DESCRIPTIONS.find(([pattern]) => pattern.test(path))?.[1] ?? "";
}

export function renderReadme(input: ReadmeInput): string {
  const { tenant, report } = input;
  const lines: string[] = [
    `# Diagnostics: ${tenant.name} (${tenant.databaseName})`,
    "",
    "A read-only snapshot of one tenant's Kubernetes namespace, collected by the Fleetdeck portal's",
    '"Collect diagnostics" runbook for troubleshooting. Nothing in the cluster was changed to make it.',
    "",
    `- Collected: ${input.collectedAt.toISOString()} by ${input.collectedBy.name} <${input.collectedBy.email}>`,
    `- Tenant: ${tenant.name}, id ${tenant.id}, database ${tenant.databaseName}, ${tenant.instanceType}, Odoo ${tenant.odooVersion}, billing ${tenant.billingStatus}`,
    `- Portal's health reading: ${tenant.health}${tenant.healthReason ? ` (${oneLine(tenant.healthReason)})` : ""}`,
    `- Cluster: ${input.cluster}, namespace ${input.namespace}`,
    `- Size cap: ${formatBytes(input.maxBytes)} uncompressed (DIAGNOSTICS_MAX_MIB); each log at most ${formatBytes(input.perLogBytes)}, its last ${input.tailLines} lines`,
    "",
    "## Contents",
    "",
    "| Path | Size | What |",
    "| --- | --- | --- |",
  ];

  const objectFiles = new Map<string, { count: number; bytes: number }>();
  const otherFiles: ArchiveReport["files"] = [];
  for (const file of report.files) {
    const kind = /^objects\/([^/]+)\//.exec(file.path)?.[1];
    if (!kind) {
      otherFiles.push(file);
      continue;
    }
    const entry = objectFiles.get(kind) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += file.bytes;
    objectFiles.set(kind, entry);
  }
  lines.push("| README.md | | this file |");
  for (const file of otherFiles.filter((f) => !f.path.startsWith("logs/")))
    lines.push(`| ${cell(file.path)} | ${formatBytes(file.bytes)} | ${describePath(file.path)} |`);
  for (const [kind, entry] of objectFiles) {
    lines.push(
      `| objects/${cell(kind)}/ | ${formatBytes(entry.bytes)} | ${entry.count} object${entry.count === 1 ? "" : "s"} as the API returns them (YAML, managedFields removed) |`,
    );
  }
  const logs = otherFiles.filter((f) => f.path.startsWith("logs/"));
  for (const file of logs.slice(0, MAX_LISTED)) lines.push(`| ${cell(file.path)} | ${formatBytes(file.bytes)} | ${describePath(file.path)} |`);
  if (logs.length > MAX_LISTED) lines.push(`| logs/… | | ${logs.length - MAX_LISTED} more log files |`);

  lines.push(
    "",
    "## Left out",
    "",
    "- **Secrets: never.** The portal does not read Secrets, so none are in this archive. Objects that",
    "  refer to one (env `valueFrom.secretKeyRef`, volumes) show only the reference. ConfigMaps are included",
    "  with their values: in this setup they hold no secrets.",
  );
  for (const skipped of report.skippedKinds.filter((kind) => kind.why !== "error")) {
    const why = skipped.why === "not-served" ? "this cluster does not serve the kind (404)" : "the portal may not read the kind (403)";
    lines.push(`- ${skipped.kind}: ${why}: ${message(skipped.message)}`);
  }
  if (report.truncatedLogs.length) {
    lines.push("- Truncated logs (the start of each is missing or cut):");
    lines.push(...listed(report.truncatedLogs, (log) => `  - ${log.path}: ${log.why}`));
  }
  if (report.leftOutForCap.length) {
    lines.push(`- Left out because the archive reached its size cap of ${formatBytes(input.maxBytes)} (raise DIAGNOSTICS_MAX_MIB to keep more):`);
    lines.push(...listed(report.leftOutForCap, (path) => `  - ${path}`));
  }
  if (report.unavailableLogs.length) {
    lines.push("- Logs the cluster has none of (not errors):");
    lines.push(...listed(report.unavailableLogs, (log) => `  - ${log.path}: ${message(log.message)}`));
  }

  lines.push("", "## Errors", "");
  const errors = [
    ...report.skippedKinds.filter((kind) => kind.why === "error").map((kind) => ({ what: `listing ${kind.kind}`, message: kind.message })),
    ...report.errors,
  ];
  if (errors.length === 0) lines.push("None: everything listed above was read.");
  else lines.push(...listed(errors, (error) => `- ${error.what}: ${message(error.message)}`));
  return `${lines.join("\n")}\n`;
}

import "server-only";

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

import { ROLES, type Role } from "@/lib/auth/permissions";
import { clusterNameSchema } from "@/lib/cluster/cluster-name";
import { invalidProxyEntry } from "@/server/http/client-address";

/**
 * Every environment variable the portal reads, declared once (t3 `env.js` pattern).
 * Defaults make `npm run demo` work with no `.env`: embedded PGlite under `.data/`, the
 * simulator's kubeconfig if the demo wrote one, and a generated auth secret kept on disk.
 */

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const rawSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: optionalString.refine(
      (url) => url === undefined || /^(file:|memory:\/\/|postgres(ql)?:\/\/)/.test(url),
      "must start with file: or memory:// (embedded PGlite) or postgres:// (PostgreSQL)",
    ),
    FLEETDECK_DATA_DIR: optionalString.default(".data"),
    KUBECONFIG: optionalString,
    KUBERNETES_SERVICE_HOST: optionalString,
    /** The portal's own cluster (one cluster), or, with several, the one a registry import records by default. */
    FLEETDECK_CLUSTER_NAME: optionalString.pipe(clusterNameSchema.optional()),
    /** Several clusters as contexts of the one kubeconfig: "context" or "name=context", comma-separated. */
    FLEETDECK_CLUSTERS: optionalString,
    /** Several clusters as a directory of kubeconfigs: one cluster per file, named by the file. */
    FLEETDECK_KUBECONFIG_DIR: optionalString,
    TENANT_LABEL_KEY: optionalString.default("saasodoo.instance.id"),
    // Twice the bookmark interval of a real kube-apiserver: its watch cache sends every idle watch a
    // BOOKMARK about once a minute (defaultBookmarkFrequency), a little later under load. At one
    // interval a quiet but healthy watch (storage classes, nodes) would be restarted every minute;
    // at two, one late bookmark is tolerated and a watch that sends nothing is caught within 2 min.
    // Events never get a bookmark, so a silent watch is only called stale when the server does not
    // answer a one-item list either (server/kube/watch-stream.ts).
    WATCH_SILENCE_TIMEOUT_SECONDS: positiveInt(120),
    LOG_MAX_UPSTREAM_STREAMS: positiveInt(200),
    /** The largest size the "Expand a volume" runbook may request, a binary quantity. */
    RUNBOOK_MAX_VOLUME_SIZE: optionalString
      .default("200Gi")
      .pipe(z.string().regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, "must be a quantity like 200Gi (Mi, Gi or Ti)")),
    /** The CronJob in each tenant namespace whose job template "Back up now" runs. */
    BACKUP_CRONJOB_NAME: optionalString.default("odoo-backup"),
    /** The server log's level (JSON lines on stdout, server/log.ts). */
    LOG_LEVEL: optionalString.default("info").pipe(
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: () => "must be one of fatal, error, warn, info, debug, trace, silent",
      }),
    ),
    /** The bearer token Prometheus sends to /metrics; unset, /metrics answers 404 (metrics off). */
    METRICS_TOKEN: optionalString.refine((token) => token === undefined || token.length >= 16, "must be at least 16 characters"),
    /** After SIGTERM, how long the portal goes on serving with readiness false before it refuses new requests (server/http/drain.ts). */
    FLEETDECK_DRAIN_DELAY_SECONDS: z.coerce.number().int().min(0).default(5),
    /** A run over a selection of more tenants than this needs a second person's approval first. */
    RUNBOOK_BATCH_APPROVAL_SIZE: positiveInt(25),
    /** A diagnostics archive stops (with a note inside) once its compressed size passes this many MiB. */
    DIAGNOSTICS_MAX_MIB: positiveInt(64),
    NEXTAUTH_SECRET: optionalString.refine((secret) => secret === undefined || secret.length >= 32, "must be at least 32 characters"),
    NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
    SESSION_IDLE_MINUTES: positiveInt(60),
    SESSION_MAX_HOURS: positiveInt(12),
    /** Comma-separated IPs or CIDR blocks of the reverse proxies whose X-Forwarded-For is believed. */
    TRUSTED_PROXIES: optionalString
      .default("")
      .transform((text) =>
        text
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        const bad = invalidProxyEntry(entries);
        if (bad) ctx.addIssue({ code: "custom", message: `"${bad}" is not an IP address or CIDR block` });
      }),
    OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_ROLE_CLAIM: optionalString.default("groups"),
    OIDC_ROLE_MAP: optionalString.default(""),
    FLEETDECK_DEMO: optionalString.transform((value) => value === "1" || value === "true"),
    /** The migration plan's first day (YYYY-MM-DD): week N of the checklist is due 7·N days later. Unset: the day it is first seeded. */
    MIGRATION_PLAN_START: optionalString.pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2027-01-04")
        .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), "must be a real date")
        .optional(),
    ),
  })
  .superRefine((raw, ctx) => {
    const oidcKeys = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
    const set = oidcKeys.filter((key) => raw[key] !== undefined);
    if (set.length > 0 && set.length < oidcKeys.length) {
      for (const key of oidcKeys.filter((k) => raw[k] === undefined)) {
        ctx.addIssue({ code: "custom", path: [key], message: `required when ${set.join(", ")} is set` });
      }
    }
    try {
      parseRoleMap(raw.OIDC_ROLE_MAP ?? "");
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["OIDC_ROLE_MAP"], message: (error as Error).message });
    }
  });

/** "fleet-admins=admin,fleet-ops=operator" -> { "fleet-admins": "admin", ... } */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const entry of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.lastIndexOf("=");
    const group = entry.slice(0, separator).trim();
    const role = entry.slice(separator + 1).trim();
    if (separator <= 0 || !group) throw new Error(`"${entry}" is not group=role`);
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`"${role}" in "${entry}" is not one of ${ROLES.join(", ")}`);
    }
    map[group] = role as Role;
  }
  return map;
}

export type KubeconfigSource = { kind: "file"; path: string } | { kind: "in-cluster" } | { kind: "default" };

export interface ParseEnvOptions {
  /** Base for relative paths; the working directory by default. */
  cwd?: string;
  /** Whether a missing secret may be generated and written to the data dir. */
  persistSecret?: boolean;
}

/**
 * The one description of the environment: the raw variables above, validated, then mapped to what
 * the portal reads. `Env` is inferred from it, so a variable is declared in exactly one place.
 */
function envSchema(options: ParseEnvOptions) {
  return rawSchema.transform((raw, ctx) => {
    const cwd = options.cwd ?? process.cwd();
    /** Absolute path of the data directory (default ".data" under the working directory). */
    const dataDir = path.resolve(cwd, raw.FLEETDECK_DATA_DIR);
    const kubeconfigSource = resolveKubeconfig(raw.KUBECONFIG, raw.KUBERNETES_SERVICE_HOST, dataDir, cwd);
    const clusters = resolveClusters(raw, kubeconfigSource, cwd);
    for (const issue of clusters.issues) ctx.addIssue({ code: "custom", path: [issue.variable], message: issue.message });
    return {
      NODE_ENV: raw.NODE_ENV,
      /** Undefined or file:... => embedded PGlite at PGLITE_DIR; postgres://... => PostgreSQL. */
      DATABASE_URL: raw.DATABASE_URL,
      FLEETDECK_DATA_DIR: dataDir,
      /** Where the PGlite database lives when DATABASE_URL is unset (a file: URL overrides it). */
      PGLITE_DIR: path.join(dataDir, "pglite"),
      /** Resolved kubeconfig path, or undefined when the in-cluster / default config applies. */
      KUBECONFIG: kubeconfigSource.kind === "file" ? kubeconfigSource.path : undefined,
      KUBECONFIG_SOURCE: kubeconfigSource,
      /** The one cluster's name, or with several the default cluster of a registry import (the first listed unless set). */
      FLEETDECK_CLUSTER_NAME: clusters.defaultName,
      /** Every cluster the portal reads: one watch cache each (server/kube/client.ts connects them). */
      CLUSTERS: clusters.list,
      TENANT_LABEL_KEY: raw.TENANT_LABEL_KEY,
      WATCH_SILENCE_TIMEOUT_SECONDS: raw.WATCH_SILENCE_TIMEOUT_SECONDS,
      /** Live log streams the portal holds open to Kubernetes at once (one per followed container, shared by all viewers). */
      LOG_MAX_UPSTREAM_STREAMS: raw.LOG_MAX_UPSTREAM_STREAMS,
      RUNBOOK_MAX_VOLUME_SIZE: raw.RUNBOOK_MAX_VOLUME_SIZE,
      DIAGNOSTICS_MAX_MIB: raw.DIAGNOSTICS_MAX_MIB,
      BACKUP_CRONJOB_NAME: raw.BACKUP_CRONJOB_NAME,
      RUNBOOK_BATCH_APPROVAL_SIZE: raw.RUNBOOK_BATCH_APPROVAL_SIZE,
      FLEETDECK_DRAIN_DELAY_SECONDS: raw.FLEETDECK_DRAIN_DELAY_SECONDS,
      METRICS_TOKEN: raw.METRICS_TOKEN,
      LOG_LEVEL: raw.LOG_LEVEL,
      NEXTAUTH_SECRET: raw.NEXTAUTH_SECRET ?? loadOrCreateSecret(dataDir, options.persistSecret ?? true),
      NEXTAUTH_URL: raw.NEXTAUTH_URL,
      SESSION_IDLE_MINUTES: raw.SESSION_IDLE_MINUTES,
      SESSION_MAX_HOURS: raw.SESSION_MAX_HOURS,
      TRUSTED_PROXIES: raw.TRUSTED_PROXIES,
      OIDC:
        raw.OIDC_ISSUER && raw.OIDC_CLIENT_ID && raw.OIDC_CLIENT_SECRET
          ? {
              issuer: raw.OIDC_ISSUER.replace(/\/+$/, ""),
              clientId: raw.OIDC_CLIENT_ID,
              clientSecret: raw.OIDC_CLIENT_SECRET,
              roleClaim: raw.OIDC_ROLE_CLAIM,
              roleMap: parseRoleMap(raw.OIDC_ROLE_MAP),
            }
          : undefined,
      FLEETDECK_DEMO: raw.FLEETDECK_DEMO,
      MIGRATION_PLAN_START: raw.MIGRATION_PLAN_START,
    };
  });
}

export type Env = z.output<ReturnType<typeof envSchema>>;

export function parseEnv(source: Record<string, string | undefined>, options: ParseEnvOptions = {}): Env {
  const parsed = envSchema(options).safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** A cluster as the configuration names it: which kubeconfig, and which of its contexts (its current one when unset). */
export interface ClusterConfig {
  name: string;
  kubeconfig: KubeconfigSource;
  context?: string;
}

type ClusterVariable = "FLEETDECK_CLUSTERS" | "FLEETDECK_KUBECONFIG_DIR" | "FLEETDECK_CLUSTER_NAME";

/** File endings a kubeconfig in FLEETDECK_KUBECONFIG_DIR may have; the cluster is named by the rest. */
const KUBECONFIG_FILE_ENDINGS = /\.(ya?ml|kubeconfig|conf|json)$/;

/**
 * The clusters the portal reads. Neither FLEETDECK_CLUSTERS nor FLEETDECK_KUBECONFIG_DIR: the one
 * cluster of the resolved kubeconfig, named FLEETDECK_CLUSTER_NAME ("default"), as ever. Either or
 * both: exactly the clusters they list, the contexts first, then the directory's files by name.
 */
function resolveClusters(
  raw: { FLEETDECK_CLUSTER_NAME?: string; FLEETDECK_CLUSTERS?: string; FLEETDECK_KUBECONFIG_DIR?: string },
  kubeconfig: KubeconfigSource,
  cwd: string,
): { list: ClusterConfig[]; defaultName: string; issues: { variable: ClusterVariable; message: string }[] } {
  const issues: { variable: ClusterVariable; message: string }[] = [];
  if (!raw.FLEETDECK_CLUSTERS && !raw.FLEETDECK_KUBECONFIG_DIR) {
    const name = raw.FLEETDECK_CLUSTER_NAME ?? "default";
    return { list: [{ name, kubeconfig }], defaultName: name, issues };
  }
  const list: ClusterConfig[] = [];
  const add = (variable: ClusterVariable, cluster: ClusterConfig) => {
    if (list.some((other) => other.name === cluster.name)) issues.push({ variable, message: `two clusters are named "${cluster.name}"` });
    else list.push(cluster);
  };
  if (raw.FLEETDECK_CLUSTERS) {
    if (kubeconfig.kind === "in-cluster") {
      issues.push({
        variable: "FLEETDECK_CLUSTERS",
        message: "names kubeconfig contexts, but the portal runs on its in-cluster config, which has none: set KUBECONFIG",
      });
    }
    for (const entry of raw.FLEETDECK_CLUSTERS.split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf("=");
      const name = separator < 0 ? entry : entry.slice(0, separator).trim();
      const context = separator < 0 ? entry : entry.slice(separator + 1).trim();
      const parsedName = clusterNameSchema.safeParse(name);
      if (!context) issues.push({ variable: "FLEETDECK_CLUSTERS", message: `"${entry}" names no context: write name=context` });
      else if (!parsedName.success) {
        const hint = separator < 0 ? ` (write name=${context} to give the context a cluster name)` : "";
        issues.push({ variable: "FLEETDECK_CLUSTERS", message: `"${name}" is not a cluster name: ${parsedName.error.issues[0]?.message}${hint}` });
      } else add("FLEETDECK_CLUSTERS", { name: parsedName.data, kubeconfig, context });
    }
  }
  if (raw.FLEETDECK_KUBECONFIG_DIR) {
    const dir = path.resolve(cwd, raw.FLEETDECK_KUBECONFIG_DIR);
    let files: string[] = [];
    try {
      // A mounted Secret holds its keys as symlinks next to hidden "..data" folders: those are skipped.
      files = readdirSync(dir)
        .filter((file) => !file.startsWith(".") && statSync(path.join(dir, file)).isFile())
        .sort();
    } catch (error) {
      issues.push({
        variable: "FLEETDECK_KUBECONFIG_DIR",
        message: `cannot read the directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      });
    }
    for (const file of files) {
      const name = file.replace(KUBECONFIG_FILE_ENDINGS, "");
      const parsedName = clusterNameSchema.safeParse(name);
      if (!parsedName.success) {
        issues.push({ variable: "FLEETDECK_KUBECONFIG_DIR", message: `the file "${file}" does not name a cluster: ${parsedName.error.issues[0]?.message}` });
      } else add("FLEETDECK_KUBECONFIG_DIR", { name: parsedName.data, kubeconfig: { kind: "file", path: path.join(dir, file) } });
    }
    if (files.length === 0 && issues.length === 0) issues.push({ variable: "FLEETDECK_KUBECONFIG_DIR", message: `${dir} holds no kubeconfig file` });
  }
  const defaultName = raw.FLEETDECK_CLUSTER_NAME ?? list[0]?.name ?? "default";
  if (raw.FLEETDECK_CLUSTER_NAME && list.length > 0 && !list.some((cluster) => cluster.name === raw.FLEETDECK_CLUSTER_NAME)) {
    issues.push({
      variable: "FLEETDECK_CLUSTER_NAME",
      message: `must be one of the configured clusters (${list.map((cluster) => cluster.name).join(", ")}), or unset for the first`,
    });
  }
  return { list, defaultName, issues };
}

function resolveKubeconfig(explicit: string | undefined, serviceHost: string | undefined, dataDir: string, cwd: string): KubeconfigSource {
  if (explicit) return { kind: "file", path: path.resolve(cwd, explicit) };
  const demoKubeconfig = path.join(dataDir, "kubeconfig");
  if (existsSync(demoKubeconfig)) return { kind: "file", path: demoKubeconfig };
  if (serviceHost) return { kind: "in-cluster" };
  return { kind: "default" };
}

/**
 * A generated secret survives restarts (sessions stay valid) but never enters the repo: it lives
 * in the gitignored data dir with owner-only permissions.
 */
function loadOrCreateSecret(dataDir: string, persist: boolean): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString("base64url");
  if (persist) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  return secret;
}

export const env: Env = parseEnv(process.env);

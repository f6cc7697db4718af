// The simulator as a child process for integration tests: the real API over HTTP, its control
// routes, and the registry it exports as TenantRecords. Imported by tests only.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import type { TenantRecord } from "@/lib/tenants/types";

export interface SimProcess {
  child: ChildProcess;
  url: string;
  /** A request with the simulator's token (API or /_sim control route); throws on a non-2xx. */
  call<T = unknown>(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  /** The instance-service registry export, as the portal's registry would hold it. */
  registry(cluster?: string): Promise<TenantRecord[]>;
  stop(): void;
}

/** The instance service's export rows (the simulator's `/_sim/registry`, the real fleet's `registry`) as the portal's registry holds them. */
export function tenantRecordsOf(rows: RegistryRow[], cluster = "default"): TenantRecord[] {
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    databaseName: row.database_name,
    customerId: row.customer_id,
    customerEmail: row.admin_email,
    instanceType: row.instance_type,
    odooVersion: row.odoo_version,
    billingStatus: row.billing_status,
    cluster,
    createdAt: row.created_at,
    updatedAt: row.created_at,
  }));
}

export interface RegistryRow {
  id: string;
  name: string;
  database_name: string;
  customer_id: string;
  admin_email: string;
  instance_type: TenantRecord["instanceType"];
  odoo_version: string;
  billing_status: TenantRecord["billingStatus"];
  created_at: string;
}

export async function startSimProcess(options: { kubeconfigPath: string; token: string; tenants?: number; args?: string[] }): Promise<SimProcess> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const args = [
    "sim/main.ts",
    "--port",
    "0",
    "--kubeconfig",
    options.kubeconfigPath,
    "--tenants",
    String(options.tenants ?? 20),
    "--token",
    options.token,
    ...(options.args ?? []),
  ];
  const child = spawn(tsx, args, { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /sim ready (\S+) kubeconfig=/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}:\n${output}`)));
  });
  const call = async <T = unknown>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} -> ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    child,
    url,
    call,
    registry: async (cluster = "default") => tenantRecordsOf(await call<RegistryRow[]>("GET", "/_sim/registry"), cluster),
    stop: () => {
      child.kill("SIGTERM");
    },
  };
}

/** Polls `probe` every 50 ms until it returns a truthy value (sync or async). */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

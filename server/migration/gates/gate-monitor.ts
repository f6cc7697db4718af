import "server-only";

import { coalescedTicks } from "@/server/coalesced-ticks";

import type { GateResultView } from "@/lib/migration/gates";
import type { PrismaClient } from "@/server/db/client";
import type { TenantDirectory } from "@/server/tenants/tenant-view";
import { evaluateGate } from "./evaluators";
import { collectGateInputs, EMPTY_DB_SNAPSHOT, loadGateDbSnapshot, type GateDbSnapshot } from "./gate-sources";

export interface GateMonitorOptions {
  directory: TenantDirectory;
  /** The database side (migration states, waves, runs, the gates tasks name); a function so tests can pass a fixture. */
  loadSnapshot: () => Promise<GateDbSnapshot>;
  /** How often the database side is reloaded (and every gate evaluated even without a cache change). */
  refreshMs?: number;
  /** At most one evaluation per this interval however busy the cache is. */
  throttleMs?: number;
  now?: () => Date;
}

type Listener = () => void;

/**
 * Evaluates every gate continuously: on cache changes (throttled) and on a timer that also reloads
 * the database side. Readers get the last results from memory; listeners hear only when a result
 * changed (not when merely re-evaluated), which is what the browser's live subscription follows.
 */
export class GateMonitor {
  private readonly options: GateMonitorOptions;
  private snapshot: GateDbSnapshot = EMPTY_DB_SNAPSHOT;
  private snapshotLoaded: Promise<void> | undefined;
  private current: GateResultView[] = [];
  private signature = "";
  private readonly listeners = new Set<Listener>();
  private unsubscribe: (() => void) | undefined;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private throttleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastEvaluatedAt = 0;
  /** Bumped whenever a result changed. */
  version = 0;

  constructor(options: GateMonitorOptions) {
    this.options = options;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.directory.onClusterChange(() => this.schedule());
    const refresh = setInterval(() => void this.refresh(), this.options.refreshMs ?? 5_000);
    refresh.unref?.();
    this.refreshTimer = refresh;
    void this.refresh();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.refreshTimer);
    clearTimeout(this.throttleTimer);
    this.throttleTimer = undefined;
  }

  /** Resolves once the database side was read once (or failed: the gates then judge without it). */
  async ready(): Promise<void> {
    this.snapshotLoaded ??= this.refresh();
    await this.snapshotLoaded;
  }

  results(): GateResultView[] {
    if (this.current.length === 0) this.evaluate();
    return this.current;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reloads the database side now and evaluates (after an attestation, a wave's end, on the timer). */
  async refresh(): Promise<void> {
    const load = this.options
      .loadSnapshot()
      .then((snapshot) => {
        this.snapshot = snapshot;
      })
      .catch((error: unknown) => console.error("[gates] loading migration data failed", error));
    this.snapshotLoaded ??= load;
    await load;
    this.evaluate();
  }

  private schedule(): void {
    if (this.throttleTimer) return;
    const throttleMs = this.options.throttleMs ?? 1_000;
    const wait = Math.max(0, this.lastEvaluatedAt + throttleMs - Date.now());
    this.throttleTimer = setTimeout(() => {
      this.throttleTimer = undefined;
      this.evaluate();
    }, wait);
    this.throttleTimer.unref?.();
  }

  private evaluate(): void {
    this.lastEvaluatedAt = Date.now();
    const inputs = collectGateInputs(this.options.directory, this.snapshot, this.options.now?.() ?? new Date());
    const next = this.snapshot.requests.map((request) => evaluateGate(inputs, request));
    const signature = JSON.stringify(next.map(({ evaluatedAt: _evaluatedAt, ...rest }) => rest));
    this.current = next;
    if (signature === this.signature) return;
    this.signature = signature;
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

/** The monitor of the portal's own cluster, over its directory and database. */
export function createGateMonitor(directory: TenantDirectory, db: PrismaClient): GateMonitor {
  return new GateMonitor({ directory, loadSnapshot: () => loadGateDbSnapshot(db) });
}

/**
 * Yields the monitor's version each time a result changes, at most every `minIntervalMs`, until
 * the signal aborts; the first value comes at once.
 */
export async function* watchGateChanges(monitor: GateMonitor, signal: AbortSignal, minIntervalMs = 500): AsyncGenerator<{ version: number }> {
  yield* coalescedTicks(
    (notify) => monitor.onChange(notify),
    signal,
    minIntervalMs,
    () => ({ version: monitor.version }),
    true,
  );
}

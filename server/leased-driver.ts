import "server-only";

import { randomUUID } from "node:crypto";

import { abortableSleep } from "@/server/abortable-sleep";
import { serverLog } from "@/server/log";

export interface LeasedDriverOptions {
  /** This process, as the leases name it. */
  holder?: string;
  tickMs?: number;
  /** How long a driver's hold on a record lasts unless renewed (another process takes over after). */
  leaseMs?: number;
  now?(): Date;
}

/**
 * A loop that drives records kept in the database (a migration wave, a run over a selection) one
 * tick at a time, every process running one. Each record names the process driving it and until
 * when (`driverHolder`, `driverExpiresAt`); `leaseClaim` is the compare-and-set that takes or
 * renews that hold, so one process drives a record at a time and another takes over once a
 * stopped one's lease lapses.
 */
export abstract class LeasedDriver {
  protected readonly holder: string;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly label: string,
    private readonly leaseOptions: LeasedDriverOptions,
  ) {
    this.holder = leaseOptions.holder ?? `portal-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  protected now(): Date {
    return this.leaseOptions.now?.() ?? new Date();
  }

  /** One pass over every record with work. */
  abstract tick(): Promise<void>;

  start(): void {
    if (this.loop) return;
    const controller = new AbortController();
    this.controller = controller;
    this.loop = (async () => {
      while (!controller.signal.aborted) {
        try {
          await this.tick();
        } catch (error) {
          serverLog().error({ driver: this.label, err: error }, `${this.label}: driver tick failed`);
        }
        await abortableSleep(this.leaseOptions.tickMs ?? 1_000, controller.signal);
      }
    })();
  }

  /** Stops driving; the leases lapse and another process (or the next start) takes over. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** The `where` and `data` of an updateMany that takes or renews this process's hold on a record. */
  protected leaseClaim(id: string) {
    const now = this.now();
    return {
      where: { id, OR: [{ driverHolder: null }, { driverHolder: this.holder }, { driverExpiresAt: { lt: now } }] },
      data: { driverHolder: this.holder, driverExpiresAt: new Date(now.getTime() + (this.leaseOptions.leaseMs ?? 15_000)) },
    };
  }
}

// The shape every reconciling controller shares, as in controller-runtime: store events map to
// keys, a coalescing work queue runs one sync per key after the change has committed.
import type { StoreEvent } from "../store/types";
import type { SimContext } from "./context";
import { WorkQueue } from "./work-queue";

export abstract class QueuedController {
  protected readonly queue = new WorkQueue((key) => this.sync(key));
  private unsubscribe?: () => void;

  constructor(protected readonly ctx: SimContext) {}

  start(): void {
    this.unsubscribe = this.ctx.store.on((ev) => this.onEvent(ev));
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  /** Turns a store event into the keys to reconcile (`this.queue.add`). */
  protected abstract onEvent(ev: StoreEvent): void;

  protected abstract sync(key: string): void;
}

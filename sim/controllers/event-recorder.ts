// Events the way client-go's recorder writes them: one object per (object, reason, message,
// source), repeated occurrences bump count/lastTimestamp instead of creating new objects.
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { iso } from "./kube-util";
import type { TimerQueue } from "./timer-queue";

export interface EventSource {
  component: string;
  host?: string;
}

export interface RecordOptions {
  fieldPath?: string;
  count?: number;
  firstTimestamp?: number;
  lastTimestamp?: number;
}

const EVENT_TTL_MS = 60 * 60 * 1000; // kube-apiserver --event-ttl default

export class EventRecorder {
  private names = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: () => number = Date.now,
  ) {}

  record(involved: KubeObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource, opts: RecordOptions = {}): void {
    const namespace = involved.metadata.namespace ?? "default";
    const fieldPath = opts.fieldPath;
    const dedupeKey = [namespace, involved.kind, involved.metadata.name, involved.metadata.uid, fieldPath, reason, message, source.component, source.host].join(
      "|",
    );
    const now = opts.lastTimestamp ?? this.clock();
    const existingName = this.names.get(dedupeKey);
    if (existingName && this.store.get("core/events", namespace, existingName)) {
      this.store.mutate("core/events", namespace, existingName, (e) => {
        e.count = (e.count ?? 1) + (opts.count ?? 1);
        e.lastTimestamp = iso(now);
        e.involvedObject.resourceVersion = involved.metadata.resourceVersion;
      });
      return;
    }
    const first = opts.firstTimestamp ?? now;
    const name = `${involved.metadata.name}.${(first * 1_000_000 + this.seq++ * 7919).toString(16)}`;
    this.names.set(dedupeKey, name);
    try {
      this.store.create("core/events", {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace, creationTimestamp: iso(first) },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        firstTimestamp: iso(first),
        lastTimestamp: iso(now),
        count: opts.count ?? 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? "",
      });
    } catch {
      // Namespace being torn down or a name clash: an event is best-effort, as in client-go.
    }
  }

  /** Drops events whose last occurrence is older than the TTL. */
  startExpiry(timers: TimerQueue): void {
    const sweep = () => {
      const cutoff = this.clock() - EVENT_TTL_MS;
      for (const e of [...this.store.list("core/events")]) {
        const last = Date.parse(e.lastTimestamp ?? e.metadata.creationTimestamp ?? "");
        if (last < cutoff) this.store.remove("core/events", e.metadata.namespace, e.metadata.name);
      }
      for (const [key, name] of this.names) {
        const ns = key.slice(0, key.indexOf("|"));
        if (!this.store.get("core/events", ns, name)) this.names.delete(key);
      }
      timers.after(5 * 60_000, sweep);
    };
    timers.after(5 * 60_000, sweep);
  }
}

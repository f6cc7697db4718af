import type { ServerResponse } from "node:http";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject, ResourceType, StoreEvent } from "../store/types";
import type { FieldSelector, LabelSelector } from "./selectors";
import { tableJson, type IncludeObject } from "./tables";

export interface WatchRequest {
  resource: ResourceType;
  key: string;
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  resourceVersion?: string;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  table?: { includeObject: IncludeObject };
}

interface Watcher {
  req: WatchRequest;
  res: ServerResponse;
  /** objects the client currently believes match (only tracked for filtered watches) */
  known?: Set<string>;
  queue: string[];
  deliver?: (ev: StoreEvent) => void;
  close(destroy: boolean): void;
}

const objKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Streams store events to HTTP watchers as newline-delimited JSON, the way the watch cache does. */
export class WatchHub {
  private watchers = new Map<string, Set<Watcher>>();
  private stalledUntil = 0;
  private requestsHeldUntil = 0;
  private stallTimer?: NodeJS.Timeout;
  private unsubscribe: () => void;

  constructor(
    private store: ObjectStore,
    private bookmarkIntervalMs = 10_000,
  ) {
    this.unsubscribe = store.on((ev) => this.dispatch(ev));
  }

  get openCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  /** Cuts every open watch connection, as an apiserver restart or a network blip does. */
  dropAll(): number {
    let n = 0;
    for (const set of this.watchers.values())
      for (const w of [...set]) {
        w.close(true);
        n++;
      }
    return n;
  }

  /**
   * Stops writing to open watches for a while (connections stay open); queued events flush
   * afterwards. With `requests`, the whole server hangs as a frozen process does: every API
   * request waits for the stall to end too (see `requestsHeldForMs`).
   */
  stall(seconds: number, options: { requests?: boolean } = {}): void {
    this.stalledUntil = Date.now() + seconds * 1000;
    this.requestsHeldUntil = options.requests ? this.stalledUntil : 0;
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stalledUntil = 0;
      for (const set of this.watchers.values()) for (const w of set) this.flush(w);
    }, seconds * 1000);
    this.stallTimer.unref();
  }

  /** How long an API request arriving now waits before it is served (0 unless the server hangs). */
  requestsHeldForMs(): number {
    return Math.max(0, this.requestsHeldUntil - Date.now());
  }

  stop(): void {
    this.unsubscribe();
    this.dropAll();
    clearTimeout(this.stallTimer);
  }

  serve(wr: WatchRequest, res: ServerResponse): void {
    const store = this.store;
    const filtered = !!(wr.labelSelector || wr.fieldSelector);
    const matches = (o: KubeObject) =>
      (wr.namespace === undefined || o.metadata.namespace === wr.namespace) &&
      (!wr.labelSelector || wr.labelSelector(o.metadata.labels)) &&
      (!wr.fieldSelector || wr.fieldSelector(o));

    let replay: StoreEvent[] | "gone" = [];
    const rvParam = wr.resourceVersion;
    const fromScratch = !rvParam || rvParam === "0" || wr.sendInitialEvents;
    const startRv = fromScratch ? store.currentRv() : Number(rvParam);
    if (!fromScratch) replay = Number.isFinite(startRv) ? store.eventsSince(startRv, wr.key) : "gone";

    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    res.flushHeaders();

    const watcher: Watcher = {
      req: wr,
      res,
      known: filtered ? new Set() : undefined,
      queue: [],
      close: (destroy) => {
        cleanup();
        if (destroy) res.destroy();
        else res.end();
      },
    };

    const encode = (type: string, o: KubeObject): string => {
      if (wr.table) {
        return `{"type":"${type}","object":${tableJson(wr.key, [o], { includeObject: wr.table.includeObject, resourceVersion: o.metadata.resourceVersion ?? "", objectJson: (x) => store.toJson(x) })}}\n`;
      }
      return `{"type":"${type}","object":${store.toJson(o)}}\n`;
    };
    const bookmark = (rv: number, initialEnd = false) =>
      `{"type":"BOOKMARK","object":${JSON.stringify({
        kind: wr.resource.kind,
        apiVersion: wr.resource.group ? `${wr.resource.group}/${wr.resource.version}` : wr.resource.version,
        metadata: { resourceVersion: String(rv), ...(initialEnd ? { annotations: { "k8s.io/initial-events-end": "true" } } : {}) },
      })}}\n`;

    if (replay === "gone") {
      const oldest = store.oldestRv();
      const status = {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `too old resource version: ${rvParam} (${oldest + 1})`,
        reason: "Expired",
        code: 410,
      };
      res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      return;
    }

    let set = this.watchers.get(wr.key);
    if (!set) this.watchers.set(wr.key, (set = new Set()));
    set.add(watcher);

    let bookmarkTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      this.watchers.get(wr.key)?.delete(watcher);
      clearInterval(bookmarkTimer);
      clearTimeout(timeoutTimer);
    };
    res.on("close", cleanup);

    if (fromScratch) {
      const initial = wr.namespace !== undefined && wr.resource.namespaced ? store.list(wr.key, wr.namespace) : store.list(wr.key);
      const chunks: string[] = [];
      for (const o of initial) {
        if (!matches(o)) continue;
        watcher.known?.add(objKey(o));
        chunks.push(encode("ADDED", o));
      }
      if (wr.sendInitialEvents && wr.allowBookmarks) chunks.push(bookmark(startRv, true));
      this.write(watcher, chunks.join(""));
    } else {
      if (watcher.known) {
        // The client listed at startRv; approximate what it saw with what matches now.
        const current = wr.namespace !== undefined && wr.resource.namespaced ? store.list(wr.key, wr.namespace) : store.list(wr.key);
        for (const o of current) if (matches(o)) watcher.known.add(objKey(o));
      }
      for (const ev of replay) this.deliver(watcher, ev, matches, encode);
    }

    watcher.deliver = (ev) => this.deliver(watcher, ev, matches, encode);

    if (wr.allowBookmarks) {
      bookmarkTimer = setInterval(() => this.write(watcher, bookmark(store.currentRv())), this.bookmarkIntervalMs);
      bookmarkTimer.unref();
    }
    if (wr.timeoutSeconds !== undefined && wr.timeoutSeconds > 0) {
      timeoutTimer = setTimeout(() => watcher.close(false), wr.timeoutSeconds * 1000);
      timeoutTimer.unref();
    }
  }

  private deliver(w: Watcher, ev: StoreEvent, matches: (o: KubeObject) => boolean, encode: (type: string, o: KubeObject) => string): void {
    const o = ev.object;
    if (w.req.namespace !== undefined && o.metadata.namespace !== w.req.namespace) return;
    if (!w.known) {
      this.write(w, encode(ev.type, o));
      return;
    }
    const k = objKey(o);
    const was = w.known.has(k);
    if (ev.type === "DELETED") {
      if (was || matches(o)) {
        w.known.delete(k);
        this.write(w, encode("DELETED", o));
      }
      return;
    }
    const now = matches(o);
    if (now && was) this.write(w, encode("MODIFIED", o));
    else if (now) {
      w.known.add(k);
      this.write(w, encode("ADDED", o));
    } else if (was) {
      // The object left the selection: watchers see it as deleted, as the watch cache reports it.
      w.known.delete(k);
      this.write(w, encode("DELETED", o));
    }
  }

  private dispatch(ev: StoreEvent): void {
    const set = this.watchers.get(ev.resource);
    if (!set) return;
    for (const w of set) w.deliver?.(ev);
  }

  private write(w: Watcher, chunk: string): void {
    if (!chunk) return;
    if (this.stalledUntil > Date.now()) {
      w.queue.push(chunk);
      return;
    }
    if (w.queue.length) this.flush(w);
    if (!w.res.destroyed && !w.res.writableEnded) w.res.write(chunk);
  }

  private flush(w: Watcher): void {
    if (w.queue.length === 0) return;
    const data = w.queue.join("");
    w.queue = [];
    if (!w.res.destroyed && !w.res.writableEnded) w.res.write(data);
  }
}

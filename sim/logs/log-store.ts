export interface LogLine {
  /** RFC3339Nano timestamp, as the kubelet writes it */
  ts: string;
  text: string;
}

type LineListener = (line: LogLine) => void;

interface ContainerLog {
  current: LogLine[];
  previous?: LogLine[];
  listeners: Set<{ onLine: LineListener; onEnd?: () => void }>;
}

export interface LogStoreOptions {
  /** Lines kept per container log; older ones are dropped, as kubelet log rotation does. */
  maxLinesPerContainer?: number;
}

export function rfc3339Nano(at: Date): string {
  return `${at.toISOString().slice(0, -1)}000000Z`;
}

/** Container logs by namespace/pod/container, with the previous (terminated) container's log kept. */
export class LogStore {
  private pods = new Map<string, Map<string, ContainerLog>>();
  private readonly maxLines: number;

  constructor(opts: LogStoreOptions = {}) {
    this.maxLines = opts.maxLinesPerContainer ?? 1000;
  }

  append(namespace: string, pod: string, container: string, text: string, at?: Date): void {
    const log = this.container(namespace, pod, container, true)!;
    const line = { ts: rfc3339Nano(at ?? new Date()), text };
    log.current.push(line);
    if (log.current.length > this.maxLines * 1.25) log.current.splice(0, log.current.length - this.maxLines);
    for (const l of log.listeners) l.onLine(line);
  }

  rotate(namespace: string, pod: string, container: string): void {
    const log = this.container(namespace, pod, container, true)!;
    log.previous = log.current.length > this.maxLines ? log.current.slice(-this.maxLines) : log.current;
    log.current = [];
    // A follower was reading the container that just terminated: its stream ends, as kubectl logs -f does.
    this.end(log);
  }

  lines(namespace: string, pod: string, container: string, opts: { previous: boolean }): LogLine[] | undefined {
    const log = this.container(namespace, pod, container, false);
    if (!log) return opts.previous ? undefined : [];
    if (opts.previous) return log.previous;
    const max = this.maxLines;
    return log.current.length > max ? log.current.slice(-max) : log.current;
  }

  hasPrevious(namespace: string, pod: string, container: string): boolean {
    return this.container(namespace, pod, container, false)?.previous !== undefined;
  }

  /** `onEnd` fires when the container restarts or the pod's logs are dropped. */
  subscribe(namespace: string, pod: string, container: string, listener: LineListener, onEnd?: () => void): () => void {
    const log = this.container(namespace, pod, container, true)!;
    const entry = { onLine: listener, onEnd };
    log.listeners.add(entry);
    return () => log.listeners.delete(entry);
  }

  drop(namespace: string, pod: string): void {
    const key = `${namespace}/${pod}`;
    const containers = this.pods.get(key);
    if (!containers) return;
    this.pods.delete(key);
    for (const log of containers.values()) this.end(log);
  }

  /** Ends every follower (fault injection: log streams dropped). */
  endAllStreams(): void {
    for (const containers of this.pods.values()) for (const log of containers.values()) this.end(log);
  }

  private end(log: ContainerLog): void {
    const listeners = [...log.listeners];
    log.listeners.clear();
    for (const l of listeners) l.onEnd?.();
  }

  private container(namespace: string, pod: string, container: string, create: boolean): ContainerLog | undefined {
    const key = `${namespace}/${pod}`;
    let containers = this.pods.get(key);
    if (!containers) {
      if (!create) return undefined;
      containers = new Map();
      this.pods.set(key, containers);
    }
    let log = containers.get(container);
    if (!log && create) {
      log = { current: [], listeners: new Set() };
      containers.set(container, log);
    }
    return log;
  }
}

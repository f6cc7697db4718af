import "server-only";

import type { Readable } from "node:stream";

import type { ClusterSource } from "@/server/kube/cluster-source";
import { toKubeError } from "@/server/kube/kube-error";
import type { RawObject } from "@/server/kube/watch-stream";

// Reads only (pod logs for the diagnostics archive): no mutation, so no dry-run preview applies.

/** One log file of the archive: a container's current log, or its previous instance's. */
export interface LogFileTarget {
  pod: string;
  container: string;
  previous: boolean;
  /** logs/<pod>/<container>.log or .previous.log */
  path: string;
}

interface PodContainers {
  metadata?: { name?: string };
  spec?: { initContainers?: { name: string }[]; containers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: {
    initContainerStatuses?: { name: string; restartCount?: number; lastState?: { terminated?: unknown } }[];
    containerStatuses?: { name: string; restartCount?: number; lastState?: { terminated?: unknown } }[];
    ephemeralContainerStatuses?: { name: string; restartCount?: number; lastState?: { terminated?: unknown } }[];
  };
}

/** Pod and container names are DNS labels; anything else would not become a path component here. */
function pathPart(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "_";
}

/**
 * Every container's log (init containers first, as they ran), and its previous instance's log
 * when the container restarted: the kubelet keeps exactly one previous log, and only then.
 */
export function logFileTargets(pods: readonly RawObject[]): LogFileTarget[] {
  const targets: LogFileTarget[] = [];
  for (const raw of pods) {
    const pod = raw as PodContainers;
    const podName = pod.metadata?.name;
    if (!podName) continue;
    const statuses = new Map(
      [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].map((s) => [
        s.name,
        s,
      ]),
    );
    for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])]) {
      const base = `logs/${pathPart(podName)}/${pathPart(container.name)}`;
      targets.push({ pod: podName, container: container.name, previous: false, path: `${base}.log` });
      const status = statuses.get(container.name);
      if ((status?.restartCount ?? 0) > 0 || status?.lastState?.terminated) {
        targets.push({ pod: podName, container: container.name, previous: true, path: `${base}.previous.log` });
      }
    }
  }
  return targets;
}

export interface LogReadLimits {
  /** The most bytes kept (sent as limitBytes, and enforced here too). */
  maxBytes: number;
  /** Only the last this many lines are asked for. */
  tailLines: number;
  signal?: AbortSignal;
  timeoutMs: number;
}

export type LogReadResult =
  | { ok: true; data: Buffer; cut: "bytes" | "lines" | undefined }
  /** The API says there is no such log (400: not started, no previous instance; 404: pod gone). Not an error. */
  | { ok: false; unavailable: true; message: string }
  | { ok: false; unavailable: false; message: string };

/**
 * Reads one log whole, at most `maxBytes` (kubelet timestamps on): the archive's tar needs an
 * entry's size before its bytes, so one log, never the archive, is held in memory.
 */
export async function readLogFile(
  source: Pick<ClusterSource, "openPodLog">,
  namespace: string,
  target: LogFileTarget,
  limits: LogReadLimits,
): Promise<LogReadResult> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  let stream: Readable;
  try {
    stream = await source.openPodLog(
      namespace,
      target.pod,
      { container: target.container, previous: target.previous || undefined, timestamps: true, tailLines: limits.tailLines, limitBytes: limits.maxBytes },
      { signal, timeoutMs: limits.timeoutMs },
    );
  } catch (cause) {
    const error = toKubeError(cause);
    const unavailable = error.kind === "invalid" || error.kind === "not-found";
    return { ok: false, unavailable, message: error.apiMessage ?? error.message };
  }

  const chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  const abort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error("reading the log was aborted"));
  signal.addEventListener("abort", abort, { once: true });
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      const room = limits.maxBytes - size;
      chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
      size += Math.min(buffer.length, room);
      if (buffer.length > room) {
        // An API server that ignores limitBytes still gets no more than the cap from us.
        overflowed = true;
        break;
      }
    }
  } catch (cause) {
    return { ok: false, unavailable: false, message: `reading the log failed after ${size} bytes: ${cause instanceof Error ? cause.message : String(cause)}` };
  } finally {
    signal.removeEventListener("abort", abort);
    stream.destroy();
  }
  const data = Buffer.concat(chunks, size);
  const lines = data.length === 0 ? 0 : data.toString("latin1").split("\n").length - (data[data.length - 1] === 0x0a ? 1 : 0);
  const cut = overflowed || size >= limits.maxBytes ? "bytes" : lines >= limits.tailLines ? "lines" : undefined;
  return { ok: true, data, cut };
}

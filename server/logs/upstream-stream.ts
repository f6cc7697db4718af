import "server-only";
import type { ClusterSource } from "@/server/kube/cluster-source";
import { KubeError, toKubeError } from "@/server/kube/kube-error";
import { isSidecar, type PodObject } from "@/server/kube/kinds/pod";
import type { PodLogOptions } from "@/server/kube/pod-logs";
import { capTailLines, MAX_TAIL_LINES } from "@/lib/logs/log-request";
import { LineSequencer, OverlapFilter, parseKubeletLine, truncateToSecond, type ResumeCursor } from "./log-line";
import type { LogLine, LogReadOptions, LogStreamState } from "@/lib/logs/types";
import { abortableSleep } from "@/server/abortable-sleep";

/**
 * One container's log from the Kubernetes API as an async generator. A follow survives dropped
 * streams, refused connections and container restarts by reconnecting on its own: it resumes
 * from the last timestamp (second precision, as kubelets accept) and removes the overlap, so the
 * lines it yields are exactly the container's lines, once each, in order.
 */

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

/** What a stream needs from the cluster: the log endpoint, and the watch cache's copy of a pod. */
export interface UpstreamCluster {
  openPodLog: ClusterSource["openPodLog"];
  /** The pod as the watch cache holds it now; undefined once it was deleted. */
  lookupPod: (namespace: string, name: string) => PodObject | undefined;
}

export interface UpstreamReadOptions extends LogReadOptions {
  follow: boolean;
  /** Continue after this position instead of applying tail/since. */
  resumeFrom?: ResumeCursor;
}

export type UpstreamEvent = { type: "lines"; lines: LogLine[] } | { type: "status"; state: LogStreamState; message?: string };

export interface UpstreamTuning {
  backoff: { initialMs: number; maxMs: number };
  /** A follow that sent nothing for this long is reconnected (proxies cut idle streams silently). */
  idleReconnectMs: number;
  connectTimeoutMs: number;
  /** Safety cap on one non-follow read. */
  limitBytes: number;
  /** Upper bound for tailLines ("all" included). */
  maxTailLines: number;
  /** Failed attempts of a non-follow read before it gives up. */
  readAttempts: number;
  /**
   * How long a follow that ended cleanly waits for the watch cache to show why (the container
   * exited) before it takes the end for a closed connection and reconnects.
   */
  endSettleMs: number;
}

export const DEFAULT_UPSTREAM_TUNING: UpstreamTuning = {
  backoff: { initialMs: 250, maxMs: 5_000 },
  idleReconnectMs: 120_000,
  connectTimeoutMs: 15_000,
  limitBytes: 64 * 1024 * 1024,
  maxTailLines: MAX_TAIL_LINES,
  readAttempts: 4,
  endSettleMs: 1_500,
};

const WAITING = /waiting to start|ContainerCreating|PodInitializing/i;

/** The plain sentence a 400/404 from the log endpoint ends a stream with, or undefined when it is worth retrying. */
function endingMessage(error: KubeError, ref: ContainerRef, follow: boolean): string | undefined {
  const api = error.apiMessage ?? "";
  if (error.kind === "not-found") return `Pod ${ref.pod} does not exist (any more) in ${ref.namespace}.`;
  if (error.status === 400) {
    // "previous terminated container ... not found" would also match the no-container test below.
    if (/previous terminated container/i.test(api)) return `Container "${ref.container}" of pod ${ref.pod} has no previous (terminated) instance.`;
    if (/is not valid for pod|container .* not found|no container/i.test(api)) return `Pod ${ref.pod} has no container "${ref.container}".`;
    // "waiting to start": a follow waits for it, a one-off read reports it.
    if (!follow || !WAITING.test(api)) return api || error.message;
  }
  if (error.kind === "forbidden" || error.kind === "unauthorized") return error.message;
  return undefined;
}

export async function* streamContainerLog(
  cluster: UpstreamCluster,
  ref: ContainerRef,
  options: UpstreamReadOptions,
  signal: AbortSignal,
  tuning: UpstreamTuning = DEFAULT_UPSTREAM_TUNING,
): AsyncGenerator<UpstreamEvent> {
  const sequencer = new LineSequencer(ref.pod, ref.container, options.resumeFrom);
  let filter = new OverlapFilter(options.resumeFrom);
  let firstConnectSecond: string | undefined;
  let failures = 0;
  let quickEnds = 0;
  let live = false;
  yield { type: "status", state: "connecting" };

  while (!signal.aborted) {
    const cursor = sequencer.cursor();
    const query: PodLogOptions = { container: ref.container, timestamps: true };
    if (options.follow) query.follow = true;
    else query.limitBytes = tuning.limitBytes;
    if (options.previous) query.previous = true;
    if (cursor) query.sinceTime = truncateToSecond(cursor.sortKey);
    else if (firstConnectSecond) query.sinceTime = firstConnectSecond;
    else if (options.sinceTime) query.sinceTime = options.sinceTime;
    else if (options.sinceSeconds) query.sinceSeconds = options.sinceSeconds;
    if (!cursor && !firstConnectSecond) query.tailLines = capTailLines(options.tailLines, tuning.maxTailLines);

    let endedCleanly = false;
    let waitingFor: string | undefined;
    let received = 0;
    const connectedAt = new Date();
    try {
      const response = await cluster.openPodLog(ref.namespace, ref.pod, query, { signal, timeoutMs: tuning.connectTimeoutMs });
      // A follow that breaks before its first line continues from the second it first connected;
      // a one-off read that breaks that early is simply read again with its own options.
      if (options.follow) firstConnectSecond ??= truncateToSecond(connectedAt.toISOString());
      failures = 0;
      if (!live && options.follow) {
        live = true;
        yield { type: "status", state: "live" };
      }
      let idle: ReturnType<typeof setTimeout> | undefined;
      const armIdle = () => {
        clearTimeout(idle);
        if (options.follow) idle = setTimeout(() => response.destroy(new Error("log stream idle")), tuning.idleReconnectMs);
      };
      armIdle();
      let rest = "";
      try {
        for await (const chunk of response) {
          armIdle();
          received += (chunk as Buffer).length;
          const text = rest + (chunk as Buffer).toString("utf8");
          const parts = text.split("\n");
          rest = parts.pop() ?? "";
          const lines: LogLine[] = [];
          for (const part of parts) {
            const raw = parseKubeletLine(part);
            if (raw && filter.accept(raw)) lines.push(sequencer.next(raw));
          }
          if (lines.length > 0) yield { type: "lines", lines };
        }
      } finally {
        clearTimeout(idle);
      }
      // A partial last line only comes from limitBytes cutting the read or the stream breaking:
      // it is read again (whole) on resume, so it is not delivered now.
      endedCleanly = true;
      if (!options.follow) return;
    } catch (error) {
      if (signal.aborted) return;
      const kubeError = toKubeError(error);
      const ending = endingMessage(kubeError, ref, options.follow);
      if (ending) {
        yield { type: "status", state: "ended", message: ending };
        return;
      }
      failures += 1;
      if (kubeError.status === 400 && WAITING.test(kubeError.apiMessage ?? "")) waitingFor = kubeError.apiMessage;
      if (!options.follow && failures >= tuning.readAttempts) {
        yield { type: "status", state: "error", message: kubeError.message };
        return;
      }
    }

    if (signal.aborted) return;
    // A follow ends when the container exits or the connection drops: find out which.
    const ended = await podEnding(cluster, ref, signal, endedCleanly, tuning.endSettleMs);
    if (signal.aborted) return;
    if (ended) {
      yield { type: "status", state: "ended", message: ended };
      return;
    }
    // A follow the API closes at once without a byte (a container between restarts) is retried
    // with back-off like a failure, so it does not turn into a tight reconnect loop.
    if (endedCleanly) quickEnds = received === 0 && Date.now() - connectedAt.getTime() < 1_000 ? quickEnds + 1 : 0;
    live = false;
    // A container that has not started yet is not a lost connection: say what it waits for.
    if (waitingFor) yield { type: "status", state: "connecting", message: `Waiting for the container to start (${waitingFor}).` };
    else
      yield {
        type: "status",
        state: "reconnecting",
        message: failures > 0 ? "Connection to the cluster lost; reconnecting…" : "Log stream closed; reconnecting…",
      };
    const attempts = failures + quickEnds;
    const delay = attempts === 0 ? 0 : Math.min(tuning.backoff.maxMs, tuning.backoff.initialMs * 2 ** (attempts - 1));
    await abortableSleep(delay, signal);
    filter = new OverlapFilter(sequencer.cursor());
  }
}

/** The hub's source (see LogSource in log-hub.ts): shared follows and one-off reads of one cluster. */
export function containerLogSource(source: ClusterSource, tuning: UpstreamTuning = DEFAULT_UPSTREAM_TUNING) {
  // Why a followed log ended is read from the watch cache, like every other pod read.
  const cluster: UpstreamCluster = {
    openPodLog: (namespace, pod, options, request) => source.openPodLog(namespace, pod, options, request),
    lookupPod: (namespace, name) => source.get("pods", namespace, name),
  };
  return {
    follow: (ref: ContainerRef, sinceTime: string, signal: AbortSignal) => streamContainerLog(cluster, ref, { follow: true, sinceTime }, signal, tuning),
    read: (ref: ContainerRef, options: UpstreamReadOptions, signal: AbortSignal) =>
      streamContainerLog(cluster, ref, { ...options, follow: false }, signal, tuning),
  };
}

const SETTLE_POLL_MS = 100;

/**
 * Why a follow cannot continue (pod deleted, container gone, pod finished), or undefined to
 * reconnect, from the watch cache. A container that exits ends its follow a moment before the
 * watch delivers the pod's new status, and a closed connection ends one the same way: after a
 * clean end the cache is given up to `settleMs` to change the pod, and its new state decides.
 */
async function podEnding(
  cluster: UpstreamCluster,
  ref: ContainerRef,
  signal: AbortSignal,
  endedCleanly: boolean,
  settleMs: number,
): Promise<string | undefined> {
  const seen = cluster.lookupPod(ref.namespace, ref.pod);
  const ending = explainEnding(seen, ref, endedCleanly);
  if (ending !== undefined || !seen || !endedCleanly) return ending;
  const deadline = Date.now() + settleMs;
  while (!signal.aborted && Date.now() < deadline) {
    await abortableSleep(Math.min(SETTLE_POLL_MS, deadline - Date.now()), signal);
    const pod = cluster.lookupPod(ref.namespace, ref.pod);
    // Any new version is the status the kubelet wrote after the end (or the deletion).
    if (pod?.metadata.resourceVersion !== seen.metadata.resourceVersion) return explainEnding(pod, ref, endedCleanly);
  }
  return undefined;
}

function explainEnding(pod: PodObject | undefined, ref: ContainerRef, endedCleanly: boolean): string | undefined {
  if (!pod) return `Pod ${ref.pod} was deleted.`;
  const names = [...pod.spec.containers, ...pod.spec.initContainers].map((c) => c.name);
  if (!names.includes(ref.container)) return `Pod ${ref.pod} has no container "${ref.container}".`;
  const phase = pod.status.phase;
  if (endedCleanly && (phase === "Succeeded" || phase === "Failed")) return `Pod ${ref.pod} has finished (${phase}).`;
  // A sidecar that exits is restarted like a container: only an init container runs to completion.
  const initContainer = pod.spec.initContainers.find((c) => c.name === ref.container);
  if (endedCleanly && initContainer && !isSidecar(initContainer)) {
    const status = pod.status.initContainerStatuses.find((s) => s.name === ref.container);
    if (status?.state.terminated?.exitCode === 0) return `Init container "${ref.container}" completed.`;
  }
  return undefined;
}

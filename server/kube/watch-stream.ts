import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeGet, kubeGetJson } from "./client";
import { KubeError, isStatusObject, kubeErrorFromStatus, toKubeError } from "./kube-error";
import { abortableSleep } from "@/server/abortable-sleep";

/**
 * list + watch of one resource as an async generator (the shape Backstage's KubernetesWatcher
 * uses): it lists with paging, then watches from the list's resourceVersion, resumes from the
 * last seen resourceVersion after a broken stream, relists on 410 Gone, backs off with jitter,
 * honours Retry-After, and restarts a watch that stays silent too long. Errors are yielded as
 * typed events, never thrown; the generator only ends when the signal aborts.
 *
 * Silence alone proves nothing on a real API server: a quiet resource hears a bookmark only about
 * once a minute, later under load, and Events (served without the watch cache) never hear one. So
 * a watch silent for the timeout is restarted and the server is asked a cheap consistent list
 * (`limit=1`): if that answers, the feed was only quiet and stays fresh (the new watch resumes from
 * the last resourceVersion, so nothing a dead connection missed is lost); if it does not answer in
 * time, the feed is reported stalled, stale since its last message.
 */

export interface RawObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export type WatchEvent<T> =
  /** A full list: the consumer replaces everything it held for this resource. */
  | { type: "sync"; items: T[]; resourceVersion: string }
  /** A watch stream is open again after an error (data is live from here on). */
  | { type: "connected"; resourceVersion: string }
  | { type: "added" | "modified" | "deleted"; object: T; resourceVersion: string }
  | { type: "bookmark"; resourceVersion: string }
  | { type: "error"; error: KubeError; retryInMs: number };

export interface ListWatchOptions<T> {
  kubeConfig: KubeConfig;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/deployments`. */
  path: string;
  signal: AbortSignal;
  /** Called on every object as it arrives, so the consumer never holds the raw object. */
  transform: (raw: RawObject) => T;
  pageSize?: number;
  /** No line (event or bookmark) for this long: the watch is reported stalled and restarted (env.ts explains the default). */
  silenceTimeoutMs: number;
  backoff?: { initialMs: number; maxMs: number };
  requestTimeoutMs?: number;
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: RawObject[];
}

export async function* listAndWatch<T>(options: ListWatchOptions<T>): AsyncGenerator<WatchEvent<T>> {
  const {
    kubeConfig,
    path,
    signal,
    transform,
    pageSize = 500,
    silenceTimeoutMs,
    backoff = { initialMs: 500, maxMs: 30_000 },
    requestTimeoutMs = 30_000,
  } = options;
  let resourceVersion: string | undefined;
  let failures = 0;
  let failedSinceLastStream = false;
  /** The last watch went silent but the server answered the check: the next one counts as heard from once it opens. */
  let quietConfirmed = false;

  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        // Through a sub-generator: a generator keeps every local of its frame alive while suspended,
        // so a list held here would pin the whole raw list (30,000 pods at 10,000 tenants) for as
        // long as the watch runs. The sub-generator's frame is gone once it returns.
        resourceVersion = yield* listForSync(kubeConfig, path, transform, { signal, pageSize, requestTimeoutMs });
        failures = 0;
        failedSinceLastStream = false;
      }

      // The consumer may have aborted while we were suspended at the yield above.
      if (signal.aborted) return;
      const watchAbort = new AbortController();
      const stopWatch = () => watchAbort.abort();
      signal.addEventListener("abort", stopWatch, { once: true });
      let silent = false;
      let watchdog: NodeJS.Timeout | undefined;
      const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          silent = true;
          watchAbort.abort();
        }, silenceTimeoutMs);
        watchdog.unref?.();
      };
      try {
        armWatchdog();
        const response = await kubeGet(kubeConfig, path, {
          signal: watchAbort.signal,
          timeoutMs: requestTimeoutMs,
          query: {
            watch: "true",
            allowWatchBookmarks: "true",
            resourceVersion,
            // The server ends the stream after this; a random spread keeps all kinds from
            // reconnecting at the same moment, as client-go's reflector does.
            timeoutSeconds: 300 + Math.floor(Math.random() * 300),
          },
        });
        const openedAt = Date.now();
        if (quietConfirmed) {
          quietConfirmed = false;
          yield { type: "bookmark", resourceVersion: resourceVersion! };
        }
        // After an error, an open watch alone does not prove the feed live (a server can accept it
        // and stay silent); data on it does, and so does a one-item list answered now: a quiet
        // feed without bookmarks (Events) would otherwise stay in error until something happens.
        clearTimeout(watchdog);
        if (failedSinceLastStream && (await answersList(kubeConfig, path, signal, Math.min(silenceTimeoutMs, QUIET_CHECK_TIMEOUT_MS)))) {
          failedSinceLastStream = false;
          failures = 0;
          yield { type: "connected", resourceVersion: resourceVersion! };
        }
        // The silence is counted from here, not from before the check.
        armWatchdog();
        let lines = 0;
        for await (const line of readLines(response)) {
          lines += 1;
          armWatchdog();
          const event = parseWatchLine(line);
          if (!event) continue;
          if (event.type === "ERROR") {
            const error = isStatusObject(event.object)
              ? kubeErrorFromStatus(event.object.code ?? 500, event.object, { path })
              : new KubeError({ kind: "bad-response", apiMessage: "watch ERROR event without Status", path });
            throw error;
          }
          // Live again once data flows (or the list above answered).
          if (failedSinceLastStream) {
            failedSinceLastStream = false;
            failures = 0;
            yield { type: "connected", resourceVersion: resourceVersion! };
          }
          const rv = event.object?.metadata?.resourceVersion;
          if (rv) resourceVersion = rv;
          if (event.type === "BOOKMARK") {
            yield { type: "bookmark", resourceVersion: resourceVersion! };
            continue;
          }
          const type = event.type === "ADDED" ? "added" : event.type === "MODIFIED" ? "modified" : event.type === "DELETED" ? "deleted" : undefined;
          if (!type || !event.object) continue;
          yield { type, object: transform(event.object), resourceVersion: resourceVersion! };
        }
        // The stream ended normally (timeoutSeconds, or the server dropped it): resume from the last
        // resourceVersion. A server that closes every stream at once must not make us spin.
        if (lines === 0 && Date.now() - openedAt < 1000) await abortableSleep(backoffDelay(1, backoff), signal);
      } catch (error) {
        if (signal.aborted) return;
        if (silent) {
          if (await answersList(kubeConfig, path, signal, Math.min(silenceTimeoutMs, QUIET_CHECK_TIMEOUT_MS))) {
            quietConfirmed = true;
            continue;
          }
          if (signal.aborted) return;
          failedSinceLastStream = true;
          yield { type: "error", error: new KubeError({ kind: "stalled", path, silentForMs: silenceTimeoutMs }), retryInMs: 0 };
          continue;
        }
        throw error;
      } finally {
        clearTimeout(watchdog);
        signal.removeEventListener("abort", stopWatch);
        watchAbort.abort();
      }
    } catch (raw) {
      if (signal.aborted) return;
      const error = toKubeError(raw, path);
      failedSinceLastStream = true;
      if (error.kind === "gone") {
        // History compacted past our resourceVersion: only a fresh list can bring us back in sync.
        resourceVersion = undefined;
        yield { type: "error", error, retryInMs: 0 };
        continue;
      }
      const retryInMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoffDelay(failures, backoff);
      failures += 1;
      yield { type: "error", error, retryInMs };
      await abortableSleep(retryInMs, signal);
    }
  }
}

/** How long the check after a silent watch may take before the feed counts as stalled. */
const QUIET_CHECK_TIMEOUT_MS = 10_000;

/** A one-item consistent list: answered only by a server that is up and can read its storage. */
async function answersList(kubeConfig: KubeConfig, path: string, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
  try {
    await kubeGetJson<ListPage>(kubeConfig, path, { signal, timeoutMs, query: { limit: 1 } });
    return true;
  } catch {
    return false;
  }
}

async function* listForSync<T>(
  kubeConfig: KubeConfig,
  path: string,
  transform: (raw: RawObject) => T,
  options: { signal: AbortSignal; pageSize: number; requestTimeoutMs: number },
): AsyncGenerator<WatchEvent<T>, string> {
  const { items, resourceVersion } = await listAll(kubeConfig, path, transform, options);
  yield { type: "sync", items, resourceVersion };
  return resourceVersion;
}

async function listAll<T>(
  kubeConfig: KubeConfig,
  path: string,
  transform: (raw: RawObject) => T,
  options: { signal: AbortSignal; pageSize: number; requestTimeoutMs: number },
): Promise<{ items: T[]; resourceVersion: string }> {
  const items: T[] = [];
  let continueToken: string | undefined;
  let resourceVersion = "";
  do {
    const page = await kubeGetJson<ListPage>(kubeConfig, path, {
      signal: options.signal,
      timeoutMs: options.requestTimeoutMs,
      query: { limit: options.pageSize, continue: continueToken },
    });
    for (const raw of page.items ?? []) items.push(transform(raw));
    continueToken = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (continueToken);
  return { items, resourceVersion };
}

/** Full jitter: a random delay in [initial, min(max, initial * 2^failures)]. */
export function backoffDelay(failures: number, backoff: { initialMs: number; maxMs: number }): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 20));
  return Math.round(backoff.initialMs + Math.random() * Math.max(0, ceiling - backoff.initialMs));
}

interface RawWatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: RawObject & { code?: number };
}

function parseWatchLine(line: string): RawWatchEvent | undefined {
  if (!line.trim()) return undefined;
  try {
    return JSON.parse(line) as RawWatchEvent;
  } catch {
    return undefined;
  }
}

async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let buffered = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      yield buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  }
  if (buffered) yield buffered;
}

import type { ServerResponse } from "node:http";
import type { IContainer, IContainerStatus } from "kubernetes-models/v1";
import type { LogLine, LogStore } from "../logs/log-store";
import { badRequest, notFound } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { boolParam, intParam } from "./http-util";

const WAITING_MESSAGES: Record<string, string> = {
  ImagePullBackOff: "trying and failing to pull image",
  ErrImagePull: "trying and failing to pull image",
  InvalidImageName: "trying and failing to pull image",
};

function containerStatus(pod: KubeObject, name: string): IContainerStatus | undefined {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((c: IContainerStatus) => c.name === name);
}

/** Open log follow streams, so a fault can cut them. */
export class LogStreams {
  private open = new Set<ServerResponse>();

  add(res: ServerResponse): void {
    this.open.add(res);
    res.on("close", () => this.open.delete(res));
  }

  dropAll(): number {
    const n = this.open.size;
    for (const res of [...this.open]) res.end();
    this.open.clear();
    return n;
  }
}

/** GET /api/v1/namespaces/{ns}/pods/{name}/log with kubelet semantics. */
export function servePodLog(
  store: ObjectStore,
  logs: LogStore,
  streams: LogStreams,
  namespace: string,
  name: string,
  query: URLSearchParams,
  res: ServerResponse,
): void {
  const pod = store.get("core/pods", namespace, name);
  if (!pod) throw notFound("pods", name);
  const containers: string[] = (pod.spec?.containers ?? []).map((c: IContainer) => c.name);
  const initContainers: string[] = (pod.spec?.initContainers ?? []).map((c: IContainer) => c.name);
  let container = query.get("container") ?? "";
  if (!container) {
    if (containers.length === 1) container = containers[0]!;
    else {
      const init = initContainers.length ? ` or one of the init containers: [${initContainers.join(" ")}]` : "";
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]${init}`);
    }
  }
  if (!containers.includes(container) && !initContainers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);

  const previous = boolParam(query.get("previous"));
  const follow = boolParam(query.get("follow"));
  const timestamps = boolParam(query.get("timestamps"));
  const tailLines = intParam("tailLines", query.get("tailLines"));
  const limitBytes = intParam("limitBytes", query.get("limitBytes"));
  const sinceSeconds = intParam("sinceSeconds", query.get("sinceSeconds"));
  const sinceTimeRaw = query.get("sinceTime");
  if (sinceSeconds !== undefined && sinceTimeRaw) throw badRequest("at most one of sinceTime or sinceSeconds may be specified");
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw badRequest('PodLogOptions.core "" is invalid: sinceSeconds: Invalid value: must be greater than 0');
  if (tailLines !== undefined && tailLines < 0)
    throw badRequest('PodLogOptions.core "" is invalid: tailLines: Invalid value: must be greater than or equal to 0');
  if (limitBytes !== undefined && limitBytes < 1) throw badRequest('PodLogOptions.core "" is invalid: limitBytes: Invalid value: must be greater than 0');
  let since: number | undefined;
  if (sinceTimeRaw) {
    since = Date.parse(sinceTimeRaw);
    if (Number.isNaN(since)) throw badRequest(`parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
  } else if (sinceSeconds !== undefined) since = Date.now() - sinceSeconds * 1000;

  const cs = containerStatus(pod, container);
  let lines: LogLine[];
  if (previous) {
    const prev = logs.lines(namespace, name, container, { previous: true });
    if (!prev) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    lines = prev;
  } else {
    lines = logs.lines(namespace, name, container, { previous: false }) ?? [];
    const waiting = cs?.state?.waiting?.reason as string | undefined;
    const neverStarted = !cs || (waiting && !cs.lastState?.terminated && (cs.restartCount ?? 0) === 0);
    if (neverStarted && lines.length === 0) {
      const why = waiting ? (WAITING_MESSAGES[waiting] ?? waiting) : "ContainerCreating";
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
    }
  }

  const format = (l: LogLine) => (timestamps ? `${l.ts} ${l.text}\n` : `${l.text}\n`);
  let selected = since !== undefined ? lines.filter((l) => Date.parse(l.ts) >= since!) : lines;
  if (tailLines !== undefined) selected = tailLines === 0 ? [] : selected.slice(-tailLines);

  let sent = 0;
  let done = false;
  const writeText = (text: string): void => {
    if (done || res.destroyed) return;
    let chunk = text;
    if (limitBytes !== undefined) {
      const left = limitBytes - sent;
      const buf = Buffer.from(chunk);
      if (buf.length >= left) {
        res.write(buf.subarray(0, left));
        sent = limitBytes;
        finish();
        return;
      }
      chunk = text;
    }
    sent += Buffer.byteLength(chunk);
    res.write(chunk);
  };
  let unsubscribeLines: (() => void) | undefined;
  let unsubscribeStore: (() => void) | undefined;
  const finish = (): void => {
    if (done) return;
    done = true;
    unsubscribeLines?.();
    unsubscribeStore?.();
    if (!res.writableEnded) res.end();
  };

  res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private", ...(follow ? { "Transfer-Encoding": "chunked" } : {}) });
  writeText(selected.map(format).join(""));

  const terminated = previous || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" || (cs?.state?.terminated && !cs?.state?.running);
  if (!follow || done || terminated) {
    finish();
    return;
  }
  streams.add(res);
  unsubscribeLines = logs.subscribe(namespace, name, container, (l) => writeText(format(l)), finish);
  unsubscribeStore = store.on((ev) => {
    if (ev.resource !== "core/pods" || ev.object.metadata.namespace !== namespace || ev.object.metadata.name !== name) return;
    if (ev.type === "DELETED") return finish();
    const st = containerStatus(ev.object, container);
    if (st?.state?.terminated) finish();
  });
  res.on("close", finish);
}

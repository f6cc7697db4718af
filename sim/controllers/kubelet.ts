// Plays every node's kubelet: starts containers (pull, create, start), reports readiness,
// restarts failing containers with CrashLoopBackOff back-off, pulls with ImagePullBackOff,
// runs job containers to completion and stops pods marked for deletion.
import type { IContainer, INodeAddress } from "kubernetes-models/v1";
import type { KubeObject, StoreEvent } from "../store/types";
import { OdooLogGenerator } from "../logs/odoo-log-generator";
import { behaviourOf, type SimContext } from "./context";
import { iso, podKey } from "./kube-util";
import { containerIdOf, podStatusOf, type ContainerRuntime, type ReportedContainerStatus } from "./pod-status";
import type { TimerHandle } from "./timer-queue";

const KNOWN_BAD_TAG = /^odoo:\d+\.\d+\.\d+$|:.*(broken|invalid|bad)/;
export const BAD_DB_HOST = "postgres-primary.saasodoo.svc";

interface PodRuntime {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  podIP: string;
  startTime: string;
  containers: ContainerRuntime[];
  backoffMs: Map<string, number>;
  timers: Map<string, TimerHandle>;
  terminating: boolean;
}

/** Go's time.Duration formatting for the back-off messages ("10s", "1m20s", "5m0s"). */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}

export class Kubelet {
  private pods = new Map<string, PodRuntime>();
  private nodeImages = new Map<string, Set<string>>();
  private ipCounters = new Map<string, number>();
  private readonly logGen: OdooLogGenerator;
  private unsubscribe?: () => void;

  constructor(
    private readonly ctx: SimContext,
    seed: string | number,
  ) {
    this.logGen = new OdooLogGenerator(seed);
  }

  start(): void {
    this.unsubscribe = this.ctx.store.on((ev) => this.onEvent(ev));
    for (const pod of this.ctx.store.list("core/pods")) this.observe(pod);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const rt of this.pods.values()) for (const t of rt.timers.values()) t.cancel();
  }

  /** Marks an image present on a node (images the fleet already ran need no pull). */
  seedImage(node: string, image: string): void {
    let s = this.nodeImages.get(node);
    if (!s) this.nodeImages.set(node, (s = new Set()));
    s.add(image);
  }

  allocatePodIP(node: string, nodeIndex: number): string {
    const n = (this.ipCounters.get(node) ?? 1) + 1;
    this.ipCounters.set(node, n > 253 ? 2 : n);
    return `10.42.${nodeIndex}.${n > 253 ? 2 : n}`;
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.resource !== "core/pods") return;
    if (ev.type === "DELETED") {
      const key = podKey(ev.object.metadata.namespace, ev.object.metadata.name);
      const rt = this.pods.get(key);
      if (rt && rt.uid === ev.object.metadata.uid) this.forget(key);
      return;
    }
    // Work after the store commit: the kubelet reacts asynchronously, as over a watch.
    const pod = ev.object;
    if (!pod.spec?.nodeName) return;
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    const rt = this.pods.get(key);
    if (rt && rt.uid === pod.metadata.uid && (rt.terminating || !pod.metadata.deletionTimestamp)) return;
    setImmediate(() => {
      const current = this.ctx.store.get("core/pods", pod.metadata.namespace, pod.metadata.name);
      if (current && current.metadata.uid === pod.metadata.uid) this.observe(current);
    });
  }

  /** Node came back: finish what its kubelet could not do while away. */
  resyncNode(node: string): void {
    for (const pod of this.ctx.store.list("core/pods")) {
      if (pod.spec?.nodeName !== node) continue;
      const key = podKey(pod.metadata.namespace, pod.metadata.name);
      const rt = this.pods.get(key);
      if (rt) {
        rt.terminating = false;
        for (const t of rt.timers.values()) t.cancel();
        rt.timers.clear();
        this.pods.delete(key);
      }
      this.observe(pod);
      const fresh = this.pods.get(key);
      if (fresh && !fresh.terminating && pod.status?.containerStatuses?.length) this.publish(fresh);
    }
  }

  pauseNode(node: string): void {
    for (const rt of this.pods.values()) {
      if (rt.node !== node) continue;
      for (const t of rt.timers.values()) t.cancel();
      rt.timers.clear();
    }
  }

  private observe(pod: KubeObject): void {
    const node = pod.spec?.nodeName;
    if (!node || this.ctx.downNodes.has(node)) return;
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    let rt = this.pods.get(key);
    if (rt && rt.uid !== pod.metadata.uid) {
      this.forget(key);
      rt = undefined;
    }
    if (!rt) rt = this.adopt(pod);
    if (pod.metadata.deletionTimestamp && !rt.terminating) this.terminate(rt, pod);
  }

  private delay(baseMs: number, jitter = 0.3): number {
    return baseMs * this.ctx.speed.lifecycle * (1 - jitter / 2 + this.ctx.rng.next() * jitter);
  }

  private at(rt: PodRuntime, slot: string, ms: number, fn: () => void): void {
    rt.timers.get(slot)?.cancel();
    rt.timers.set(
      slot,
      this.ctx.timers.after(ms, () => {
        rt.timers.delete(slot);
        if (this.pods.get(podKey(rt.namespace, rt.name)) !== rt || this.ctx.downNodes.has(rt.node)) return;
        fn();
      }),
    );
  }

  private forget(key: string): void {
    const rt = this.pods.get(key);
    if (!rt) return;
    for (const t of rt.timers.values()) t.cancel();
    this.pods.delete(key);
    this.ctx.logs.drop(rt.namespace, rt.name);
  }

  /** Builds the runtime view of a pod: from its reported status if it has one, else fresh. */
  private adopt(pod: KubeObject): PodRuntime {
    const node = pod.spec.nodeName as string;
    const statuses: ReportedContainerStatus[] = pod.status?.containerStatuses ?? [];
    const nodeObj = this.ctx.store.get("core/nodes", undefined, node);
    const nodeIndex = Number(/(\d+)$/.exec(nodeObj?.spec?.podCIDR?.split(".")[2] ?? "")?.[1] ?? Number(node.replace(/\D/g, "")) - 1);
    const rt: PodRuntime = {
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      uid: pod.metadata.uid!,
      node,
      podIP: pod.status?.podIP ?? this.allocatePodIP(node, nodeIndex),
      startTime: pod.status?.startTime ?? iso(this.ctx.clock()),
      containers: (pod.spec.containers as IContainer[]).map((c) => {
        const s = statuses.find((x) => x.name === c.name);
        return this.runtimeFromStatus(c, s);
      }),
      backoffMs: new Map(),
      timers: new Map(),
      terminating: false,
    };
    this.pods.set(podKey(rt.namespace, rt.name), rt);
    if (pod.metadata.deletionTimestamp) return rt;
    if (!statuses.length) {
      this.at(rt, "pod", this.delay(250), () => this.beginCreate(rt));
      return rt;
    }
    for (const c of rt.containers) {
      for (const image of [c.image]) if (c.imagePulled) this.seedImage(node, image);
      this.resume(rt, c);
    }
    return rt;
  }

  private runtimeFromStatus(spec: IContainer, s: ReportedContainerStatus | undefined): ContainerRuntime {
    // Validation refuses a container without an image.
    const c: ContainerRuntime = {
      name: spec.name,
      image: spec.image!,
      phase: { kind: "creating" },
      restartCount: s?.restartCount ?? 0,
      imagePulled: Boolean(s?.imageID),
    };
    if (s?.lastState?.terminated) {
      const t = s.lastState.terminated;
      c.lastTermination = { exitCode: t.exitCode, reason: t.reason, startedAt: t.startedAt, finishedAt: t.finishedAt, containerID: t.containerID };
    }
    if (s?.state?.running) c.phase = { kind: "running", startedAt: s.state.running.startedAt, ready: Boolean(s.ready) };
    else if (s?.state?.terminated) c.phase = { kind: "terminated", ...s.state.terminated };
    else if (s?.state?.waiting) c.phase = { kind: "waiting", reason: s.state.waiting.reason, message: s.state.waiting.message };
    return c;
  }

  /** Picks a container up where its status left it (startup adoption). */
  private resume(rt: PodRuntime, c: ContainerRuntime): void {
    const phase = c.phase;
    if (phase.kind === "running") {
      this.afterStart(rt, c, !phase.ready);
    } else if (phase.kind === "waiting" && phase.reason === "CrashLoopBackOff") {
      const backoff = this.capBackoff(c.restartCount);
      rt.backoffMs.set(c.name, backoff);
      this.at(rt, c.name, this.ctx.rng.next() * backoff, () => this.restart(rt, c));
    } else if (phase.kind === "waiting" && (phase.reason === "ImagePullBackOff" || phase.reason === "ErrImagePull")) {
      const backoff = this.capBackoff(6);
      rt.backoffMs.set(`pull:${c.name}`, backoff);
      this.at(rt, c.name, this.ctx.rng.next() * backoff, () => this.pull(rt, c));
    } else if (phase.kind === "waiting" || phase.kind === "creating") {
      this.at(rt, c.name, this.delay(400), () => this.pull(rt, c));
    }
  }

  private capBackoff(restarts: number): number {
    return Math.min(300_000, 10_000 * 2 ** Math.max(0, restarts - 1)) * this.ctx.speed.backoff;
  }

  private pod(rt: PodRuntime): KubeObject | undefined {
    const pod = this.ctx.store.get("core/pods", rt.namespace, rt.name);
    return pod && pod.metadata.uid === rt.uid ? pod : undefined;
  }

  private publish(rt: PodRuntime): void {
    const pod = this.pod(rt);
    if (!pod) return;
    const status = podStatusOf({
      pod,
      containers: rt.containers,
      nodeIP: this.nodeIP(rt.node),
      podIP: rt.podIP,
      startTime: rt.startTime,
      now: iso(this.ctx.clock()),
    });
    this.ctx.store.mutate("core/pods", rt.namespace, rt.name, (d) => {
      d.status = status;
    });
  }

  private nodeIP(node: string): string | undefined {
    const n = this.ctx.store.get("core/nodes", undefined, node);
    return n?.status?.addresses?.find((a: INodeAddress) => a.type === "InternalIP")?.address;
  }

  private event(rt: PodRuntime, type: "Normal" | "Warning", reason: string, message: string, container?: string): void {
    const pod = this.pod(rt);
    if (!pod) return;
    this.ctx.events.record(
      pod,
      type,
      reason,
      message,
      { component: "kubelet", host: rt.node },
      container ? { fieldPath: `spec.containers{${container}}` } : {},
    );
  }

  private beginCreate(rt: PodRuntime): void {
    rt.startTime = iso(this.ctx.clock());
    this.publish(rt);
    for (const c of rt.containers) this.at(rt, c.name, this.delay(300), () => this.pull(rt, c));
  }

  private pull(rt: PodRuntime, c: ContainerRuntime): void {
    const pod = this.pod(rt);
    if (!pod) return;
    const spec = (pod.spec.containers as IContainer[]).find((x) => x.name === c.name);
    c.image = spec?.image ?? c.image;
    const images = this.nodeImages.get(rt.node);
    if (KNOWN_BAD_TAG.test(c.image)) {
      this.event(rt, "Normal", "Pulling", `Pulling image "${c.image}"`, c.name);
      this.at(rt, c.name, this.delay(900), () => {
        const ref = c.image.includes("/") ? c.image : `docker.io/library/${c.image}`;
        this.event(
          rt,
          "Warning",
          "Failed",
          `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
          c.name,
        );
        this.event(rt, "Warning", "Failed", "Error: ErrImagePull", c.name);
        c.phase = {
          kind: "waiting",
          reason: "ErrImagePull",
          message: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
        };
        this.publish(rt);
        const key = `pull:${c.name}`;
        const backoff = Math.min(300_000 * this.ctx.speed.backoff, (rt.backoffMs.get(key) ?? 5_000 * this.ctx.speed.backoff) * 2);
        rt.backoffMs.set(key, backoff);
        this.at(rt, c.name, this.delay(600), () => {
          this.event(rt, "Normal", "BackOff", `Back-off pulling image "${c.image}"`, c.name);
          this.event(rt, "Warning", "Failed", "Error: ImagePullBackOff", c.name);
          c.phase = { kind: "waiting", reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` };
          this.publish(rt);
          this.at(rt, c.name, backoff, () => this.pull(rt, c));
        });
      });
      return;
    }
    if (images?.has(c.image) && spec?.imagePullPolicy !== "Always") {
      this.event(rt, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, c.name);
      this.at(rt, c.name, this.delay(150), () => this.createAndStart(rt, c));
      return;
    }
    this.event(rt, "Normal", "Pulling", `Pulling image "${c.image}"`, c.name);
    const pullMs = this.delay(1200);
    this.at(rt, c.name, pullMs, () => {
      this.seedImage(rt.node, c.image);
      const took = (pullMs / this.ctx.speed.lifecycle / 1000).toFixed(3);
      const size = 400_000_000 + this.ctx.rng.int(0, 250_000_000);
      this.event(rt, "Normal", "Pulled", `Successfully pulled image "${c.image}" in ${took}s (${took}s including waiting). Image size: ${size} bytes.`, c.name);
      c.imagePulled = true;
      this.createAndStart(rt, c);
    });
  }

  private createAndStart(rt: PodRuntime, c: ContainerRuntime): void {
    c.imagePulled = true;
    this.event(rt, "Normal", "Created", `Created container: ${c.name}`, c.name);
    this.event(rt, "Normal", "Started", `Started container ${c.name}`, c.name);
    const now = this.ctx.clock();
    c.phase = { kind: "running", startedAt: iso(now), ready: false };
    this.publish(rt);
    this.writeStartupLogs(rt, c, now);
    this.afterStart(rt, c, true);
  }

  private tenantInfo(rt: PodRuntime) {
    return this.ctx.tenants.get(rt.namespace);
  }

  private isOdoo(c: ContainerRuntime): boolean {
    return c.name === "odoo";
  }

  private writeStartupLogs(rt: PodRuntime, c: ContainerRuntime, now: number): void {
    const info = this.tenantInfo(rt);
    if (!info || !this.isOdoo(c)) return;
    const crash = behaviourOf(this.ctx, rt.namespace) === "crash";
    for (const line of this.logGen.startup(info.databaseName, info.odooVersion, rt.name, now, crash ? { badDbHost: BAD_DB_HOST } : {})) {
      this.ctx.logs.append(rt.namespace, rt.name, c.name, line.text, new Date(Math.min(line.at, this.ctx.clock())));
    }
  }

  /** What happens once a container runs: readiness, crash, OOM or job completion. */
  private afterStart(rt: PodRuntime, c: ContainerRuntime, needsReadiness: boolean): void {
    const pod = this.pod(rt);
    if (!pod) return;
    const isJob = pod.spec.restartPolicy === "Never" || pod.spec.restartPolicy === "OnFailure";
    if (isJob) {
      this.at(rt, c.name, this.delay(2500), () => this.finishJobContainer(rt, c));
      return;
    }
    const behaviour = this.isOdoo(c) ? behaviourOf(this.ctx, rt.namespace) : "healthy";
    if (behaviour === "crash") {
      this.at(rt, c.name, this.delay(1200), () => {
        const info = this.tenantInfo(rt);
        if (info)
          for (const l of this.logGen.databaseConnectionFailure(info.databaseName, this.ctx.clock(), BAD_DB_HOST))
            this.ctx.logs.append(rt.namespace, rt.name, c.name, l.text, new Date(l.at));
        this.event(
          rt,
          "Warning",
          "Unhealthy",
          `Readiness probe failed: Get "http://${rt.podIP}:8069/web/health": dial tcp ${rt.podIP}:8069: connect: connection refused`,
          c.name,
        );
        this.exitContainer(rt, c, 1, "Error");
      });
      return;
    }
    if (needsReadiness) {
      this.at(rt, `${c.name}:ready`, this.delay(1500), () => {
        if (c.phase.kind !== "running") return;
        c.phase = { ...c.phase, ready: true };
        this.publish(rt);
      });
    }
    if (behaviour === "oom") {
      this.at(rt, c.name, this.delay(5000) + 2000 * this.ctx.speed.lifecycle * this.ctx.rng.next(), () => {
        const info = this.tenantInfo(rt);
        if (info)
          for (const l of this.logGen.memoryPressure(info.databaseName, this.ctx.clock()))
            this.ctx.logs.append(rt.namespace, rt.name, c.name, l.text, new Date(Math.min(l.at, this.ctx.clock())));
        this.event(
          rt,
          "Warning",
          "Unhealthy",
          `Liveness probe failed: Get "http://${rt.podIP}:8069/web/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          c.name,
        );
        this.exitContainer(rt, c, 137, "OOMKilled");
      });
      return;
    }
    this.scheduleLiveLog(rt, c);
  }

  private scheduleLiveLog(rt: PodRuntime, c: ContainerRuntime): void {
    const info = this.tenantInfo(rt);
    if (!info?.liveLogs || !this.isOdoo(c)) return;
    this.at(rt, `${c.name}:log`, 8_000 + this.ctx.rng.next() * 20_000, () => {
      if (c.phase.kind !== "running") return;
      const now = this.ctx.clock();
      const lines = this.ctx.rng.next() < 0.5 ? [this.logGen.healthCheck(info.databaseName, now)] : this.logGen.traffic(info.databaseName, now);
      for (const text of lines) this.ctx.logs.append(rt.namespace, rt.name, c.name, text, new Date(now));
      this.scheduleLiveLog(rt, c);
    });
  }

  private finishJobContainer(rt: PodRuntime, c: ContainerRuntime): void {
    if (c.phase.kind !== "running") return;
    const failed = this.ctx.backupFailures.has(rt.namespace);
    const info = this.tenantInfo(rt);
    const now = this.ctx.clock();
    if (info)
      for (const l of this.logGen.backup(info.databaseName, now - 1500, failed))
        this.ctx.logs.append(rt.namespace, rt.name, c.name, l.text, new Date(Math.min(l.at, now)));
    c.phase = { kind: "terminated", exitCode: failed ? 1 : 0, reason: failed ? "Error" : "Completed", startedAt: c.phase.startedAt, finishedAt: iso(now) };
    this.publish(rt);
  }

  private exitContainer(rt: PodRuntime, c: ContainerRuntime, exitCode: number, reason: string): void {
    if (c.phase.kind !== "running") return;
    const now = this.ctx.clock();
    c.lastTermination = { exitCode, reason, startedAt: c.phase.startedAt, finishedAt: iso(now), containerID: containerIdOf(rt.uid, c.name, c.restartCount) };
    c.restartCount += 1;
    const backoff = rt.backoffMs.has(c.name) ? Math.min(300_000 * this.ctx.speed.backoff, rt.backoffMs.get(c.name)! * 2) : 10_000 * this.ctx.speed.backoff;
    rt.backoffMs.set(c.name, backoff);
    const shown = goDuration(backoff / this.ctx.speed.backoff);
    c.phase = {
      kind: "waiting",
      reason: "CrashLoopBackOff",
      message: `back-off ${shown} restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})`,
    };
    this.publish(rt);
    this.event(rt, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`, c.name);
    this.at(rt, c.name, backoff, () => this.restart(rt, c));
  }

  private restart(rt: PodRuntime, c: ContainerRuntime): void {
    this.ctx.logs.rotate(rt.namespace, rt.name, c.name);
    this.event(rt, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, c.name);
    this.at(rt, c.name, this.delay(200), () => this.createAndStart(rt, c));
  }

  /** Control hooks: make the running container fail now, or recover a failing one now. */
  kick(namespace: string, mode: "crash" | "oom" | "heal"): number {
    let touched = 0;
    for (const rt of this.pods.values()) {
      if (rt.namespace !== namespace || rt.terminating) continue;
      for (const c of rt.containers) {
        if (!this.isOdoo(c)) continue;
        touched++;
        if (mode === "heal") {
          rt.backoffMs.delete(c.name);
          if (c.phase.kind === "waiting" && c.phase.reason === "CrashLoopBackOff") this.at(rt, c.name, this.delay(300), () => this.restart(rt, c));
          else if (c.phase.kind === "running") {
            rt.timers.get(c.name)?.cancel();
            rt.timers.delete(c.name);
            if (!c.phase.ready) this.afterStart(rt, c, true);
            else this.scheduleLiveLog(rt, c);
          }
        } else if (c.phase.kind === "running") {
          rt.timers.get(`${c.name}:log`)?.cancel();
          this.afterStart(rt, c, false);
        }
      }
    }
    return touched;
  }

  private terminate(rt: PodRuntime, pod: KubeObject): void {
    rt.terminating = true;
    for (const [slot, t] of rt.timers) if (slot !== "remove") t.cancel();
    rt.timers.clear();
    const now = this.ctx.clock();
    const info = this.tenantInfo(rt);
    for (const c of rt.containers) {
      if (c.phase.kind !== "running") continue;
      this.event(rt, "Normal", "Killing", `Stopping container ${c.name}`, c.name);
      if (info && this.isOdoo(c))
        for (const l of this.logGen.shutdown(info.databaseName, now)) this.ctx.logs.append(rt.namespace, rt.name, c.name, l.text, new Date(now));
    }
    // A wedged container runtime: the pod stays Terminating until someone force-deletes it.
    if (this.ctx.stuckPods.has(rt.uid)) return;
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    this.at(rt, "remove", Math.min(grace, 1000 * this.ctx.speed.lifecycle), () => {
      this.ctx.store.remove("core/pods", rt.namespace, rt.name);
    });
  }
}

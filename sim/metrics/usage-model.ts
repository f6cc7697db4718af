// How much CPU and memory each running container uses right now: a smooth, deterministic
// function of the pod, the clock and its tenant's condition (idle, busy, leaking toward OOM).
import type { IContainerStatus } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import { stableHash } from "../fleet/prng";
import { behaviourOf, type SimContext } from "../controllers/context";
import { cpuMillis, parseQuantity } from "../controllers/kube-util";

export interface ContainerUsage {
  name: string;
  cpuNanoCores: number;
  memoryBytes: number;
}

export function containerUsage(ctx: SimContext, pod: KubeObject, now: number): ContainerUsage[] {
  if (pod.status?.phase !== "Running" || !pod.spec?.nodeName || ctx.downNodes.has(pod.spec.nodeName)) return [];
  const out: ContainerUsage[] = [];
  const seed = stableHash(pod.metadata.uid ?? pod.metadata.name);
  const wave = (period: number, phase: number) => 0.5 + 0.5 * Math.sin((now / period) * 2 * Math.PI + phase);
  for (const spec of pod.spec.containers ?? []) {
    const status = (pod.status.containerStatuses ?? []).find((s: IContainerStatus) => s.name === spec.name);
    const running = status?.state?.running;
    if (!running) continue;
    const limitMem = parseQuantity(spec.resources?.limits?.memory) || parseQuantity(spec.resources?.requests?.memory) * 2 || 512 * 2 ** 20;
    const reqCpu = cpuMillis(spec.resources?.requests?.cpu) || 100;
    const phase = (seed % 1000) / 159;
    const busy = 0.15 + 0.85 * wave(5 * 60_000, phase) * wave(47_000, phase * 3);
    let cpuMilli = reqCpu * (0.08 + 0.5 * busy);
    let mem = limitMem * (0.32 + (0.18 * ((seed >>> 8) % 100)) / 100 + 0.04 * wave(10 * 60_000, phase));
    const behaviour = spec.name === "odoo" ? behaviourOf(ctx, pod.metadata.namespace!) : "healthy";
    const uptime = now - Date.parse(running.startedAt);
    if (behaviour === "crash") {
      cpuMilli = 3 + (seed % 5);
      mem = 60 * 2 ** 20 + (seed % 20) * 2 ** 20;
    } else if (behaviour === "oom") {
      const ramp = Math.min(1, uptime / Math.max(1000, 7000 * ctx.speed.lifecycle));
      mem = limitMem * (0.6 + 0.38 * ramp);
      cpuMilli = reqCpu * (0.7 + 0.6 * ramp);
    } else if (uptime < 20_000) {
      cpuMilli = reqCpu * 1.6; // module loading at startup
      mem = mem * 0.7;
    }
    out.push({ name: spec.name, cpuNanoCores: Math.round(cpuMilli * 1e6), memoryBytes: Math.round(mem) });
  }
  return out;
}

// metrics.k8s.io/v1beta1 PodMetrics / NodeMetrics and the kubelet's /stats/summary, computed on
// request from the usage model (nothing runs in the background).
import type { ObjectStore } from "../store/object-store";
import type { IPersistentVolumeClaimVolumeSource, IVolume } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import type { SimContext } from "../controllers/context";
import { iso, parseQuantity } from "../controllers/kube-util";
import { containerUsage } from "./usage-model";

const SYSTEM_CPU_NANO = 850_000_000;
const SYSTEM_MEMORY = 2.6 * 2 ** 30;

const nano = (n: number) => `${Math.round(n)}n`;
const ki = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

export function podMetrics(ctx: SimContext, namespace?: string): KubeObject[] {
  const now = ctx.clock();
  const timestamp = iso(now - 7000);
  const out: KubeObject[] = [];
  const pods = namespace ? ctx.store.list("core/pods", namespace) : ctx.store.list("core/pods");
  for (const pod of pods) {
    const containers = containerUsage(ctx, pod, now);
    if (!containers.length) continue;
    out.push({
      kind: "PodMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: iso(now), labels: { ...(pod.metadata.labels ?? {}) } },
      timestamp,
      window: "15.041s",
      containers: containers.map((c) => ({ name: c.name, usage: { cpu: nano(c.cpuNanoCores), memory: ki(c.memoryBytes) } })),
    });
  }
  return out;
}

// A sweep of every node's stats/summary reads the same pods once per node: index them by node
// once per change of the pod set or of any pod (a pod is bound to its node by a change), so the
// sweep costs O(pods) instead of O(pods) per node (167 nodes x 20,000 pods was ~15 CPU-s per sweep).
const podsByNodeCache = new WeakMap<ObjectStore, { version: number; index: Map<string, KubeObject[]> }>();

function podsByNode(ctx: SimContext): Map<string, KubeObject[]> {
  const version = ctx.store.listVersion("core/pods");
  const cached = podsByNodeCache.get(ctx.store);
  if (cached?.version === version) return cached.index;
  const index = new Map<string, KubeObject[]>();
  for (const pod of ctx.store.list("core/pods")) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    let list = index.get(node);
    if (!list) index.set(node, (list = []));
    list.push(pod);
  }
  podsByNodeCache.set(ctx.store, { version, index });
  return index;
}

function totalsOf(ctx: SimContext, pods: KubeObject[], now: number): { cpu: number; memory: number; pods: KubeObject[] } {
  const t = { cpu: 0, memory: 0, pods };
  for (const pod of pods) {
    for (const c of containerUsage(ctx, pod, now)) {
      t.cpu += c.cpuNanoCores;
      t.memory += c.memoryBytes;
    }
  }
  return t;
}

function nodeTotals(ctx: SimContext, now: number): Map<string, { cpu: number; memory: number; pods: KubeObject[] }> {
  const totals = new Map<string, { cpu: number; memory: number; pods: KubeObject[] }>();
  for (const [node, pods] of podsByNode(ctx)) totals.set(node, totalsOf(ctx, pods, now));
  return totals;
}

export function nodeMetrics(ctx: SimContext): KubeObject[] {
  const now = ctx.clock();
  const totals = nodeTotals(ctx, now);
  return ctx.store
    .list("core/nodes")
    .filter((n) => !ctx.downNodes.has(n.metadata.name))
    .map((n) => {
      const t = totals.get(n.metadata.name) ?? { cpu: 0, memory: 0 };
      return {
        kind: "NodeMetrics",
        apiVersion: "metrics.k8s.io/v1beta1",
        metadata: { name: n.metadata.name, creationTimestamp: iso(now), labels: { ...(n.metadata.labels ?? {}) } },
        timestamp: iso(now - 9000),
        window: "20.052s",
        usage: { cpu: nano(t.cpu + SYSTEM_CPU_NANO), memory: ki(t.memory + SYSTEM_MEMORY) },
      };
    });
}

/** ext4 keeps ~1.6% of a block device for metadata: df shows a little less than the claim. */
const FS_OVERHEAD = 0.984;

export function nodeStatsSummary(ctx: SimContext, nodeName: string): unknown | undefined {
  const node = ctx.store.get("core/nodes", undefined, nodeName);
  if (!node || ctx.downNodes.has(nodeName)) return undefined;
  const now = ctx.clock();
  const time = iso(now);
  const totals = totalsOf(ctx, podsByNode(ctx).get(nodeName) ?? [], now);
  const memCapacity = parseQuantity(node.status?.capacity?.memory);
  const fsCapacity = parseQuantity(node.status?.capacity?.["ephemeral-storage"]);
  const nodeMem = totals.memory + SYSTEM_MEMORY;
  const pods = totals.pods
    .filter((p) => p.status?.phase === "Running" || p.status?.phase === "Pending")
    .map((pod) => {
      const usage = containerUsage(ctx, pod, now);
      const cpu = usage.reduce((s, c) => s + c.cpuNanoCores, 0);
      const mem = usage.reduce((s, c) => s + c.memoryBytes, 0);
      const volumes = (pod.spec?.volumes ?? [])
        .filter((v: IVolume) => v.persistentVolumeClaim)
        .map((v: IVolume & { persistentVolumeClaim: IPersistentVolumeClaimVolumeSource }) => {
          const claim = v.persistentVolumeClaim.claimName;
          const pvc = ctx.store.get("core/persistentvolumeclaims", pod.metadata.namespace, claim);
          if (!pvc || pvc.status?.phase !== "Bound") return undefined;
          const capacity = Math.floor(parseQuantity(pvc.status?.capacity?.storage) * FS_OVERHEAD);
          const fraction = ctx.volumeUsage.get(`${pod.metadata.namespace}/${claim}`) ?? 0.1;
          const used = Math.min(capacity, Math.floor(capacity * fraction));
          const inodes = Math.floor(capacity / 16384);
          const inodesUsed = Math.floor(used / 65536) + 11;
          return {
            time,
            availableBytes: capacity - used,
            capacityBytes: capacity,
            usedBytes: used,
            inodesFree: inodes - inodesUsed,
            inodes,
            inodesUsed,
            name: v.name,
            pvcRef: { name: claim, namespace: pod.metadata.namespace },
          };
        })
        .filter(Boolean);
      const startTime = pod.status?.startTime ?? pod.metadata.creationTimestamp;
      return {
        podRef: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        startTime,
        containers: usage.map((c) => ({
          name: c.name,
          startTime,
          cpu: { time, usageNanoCores: c.cpuNanoCores, usageCoreNanoSeconds: Math.round(c.cpuNanoCores * ((now - Date.parse(startTime)) / 1000)) },
          memory: {
            time,
            usageBytes: c.memoryBytes + 8 * 2 ** 20,
            workingSetBytes: c.memoryBytes,
            rssBytes: Math.round(c.memoryBytes * 0.86),
            pageFaults: 182_311,
            majorPageFaults: 12,
          },
          rootfs: {
            time,
            availableBytes: fsCapacity * 0.7,
            capacityBytes: fsCapacity,
            usedBytes: 61_440,
            inodesFree: 12_300_000,
            inodes: 12_800_000,
            inodesUsed: 17,
          },
          logs: {
            time,
            availableBytes: fsCapacity * 0.7,
            capacityBytes: fsCapacity,
            usedBytes: 184_320,
            inodesFree: 12_300_000,
            inodes: 12_800_000,
            inodesUsed: 2,
          },
        })),
        cpu: { time, usageNanoCores: cpu, usageCoreNanoSeconds: Math.round(cpu * 3600) },
        memory: { time, usageBytes: mem + 8 * 2 ** 20, workingSetBytes: mem, rssBytes: Math.round(mem * 0.86), pageFaults: 0, majorPageFaults: 0 },
        network: {
          time,
          name: "eth0",
          rxBytes: 1_802_113_201,
          rxErrors: 0,
          txBytes: 2_911_283_442,
          txErrors: 0,
          interfaces: [{ name: "eth0", rxBytes: 1_802_113_201, rxErrors: 0, txBytes: 2_911_283_442, txErrors: 0 }],
        },
        volume: volumes,
        "ephemeral-storage": {
          time,
          availableBytes: fsCapacity * 0.7,
          capacityBytes: fsCapacity,
          usedBytes: 245_760,
          inodesFree: 12_300_000,
          inodes: 12_800_000,
          inodesUsed: 19,
        },
        process_stats: { process_count: usage.length ? 6 : 0 },
      };
    });
  return {
    node: {
      nodeName,
      systemContainers: [
        {
          name: "kubelet",
          startTime: node.metadata.creationTimestamp,
          cpu: { time, usageNanoCores: 95_000_000 },
          memory: { time, usageBytes: 190 * 2 ** 20, workingSetBytes: 120 * 2 ** 20 },
        },
        {
          name: "runtime",
          startTime: node.metadata.creationTimestamp,
          cpu: { time, usageNanoCores: 60_000_000 },
          memory: { time, usageBytes: 240 * 2 ** 20, workingSetBytes: 150 * 2 ** 20 },
        },
        {
          name: "pods",
          startTime: node.metadata.creationTimestamp,
          cpu: { time, usageNanoCores: totals.cpu },
          memory: { time, availableBytes: memCapacity - totals.memory, usageBytes: totals.memory, workingSetBytes: totals.memory },
        },
      ],
      startTime: node.metadata.creationTimestamp,
      cpu: { time, usageNanoCores: totals.cpu + SYSTEM_CPU_NANO, usageCoreNanoSeconds: Math.round((totals.cpu + SYSTEM_CPU_NANO) * 86_400) },
      memory: {
        time,
        availableBytes: memCapacity - nodeMem,
        usageBytes: nodeMem * 1.1,
        workingSetBytes: nodeMem,
        rssBytes: nodeMem * 0.8,
        pageFaults: 91_000_000,
        majorPageFaults: 4_100,
      },
      network: { time, name: "eth0", rxBytes: 912_113_201_000, rxErrors: 0, txBytes: 811_283_442_000, txErrors: 0 },
      fs: {
        time,
        availableBytes: fsCapacity * 0.62,
        capacityBytes: fsCapacity,
        usedBytes: fsCapacity * 0.38,
        inodesFree: 12_100_000,
        inodes: 12_800_000,
        inodesUsed: 700_000,
      },
      runtime: {
        imageFs: {
          time,
          availableBytes: fsCapacity * 0.62,
          capacityBytes: fsCapacity,
          usedBytes: 21 * 2 ** 30,
          inodesFree: 12_100_000,
          inodes: 12_800_000,
          inodesUsed: 700_000,
        },
      },
      rlimit: { time, maxpid: 4_194_304, curproc: 900 + totals.pods.length * 6 },
    },
    pods,
  };
}

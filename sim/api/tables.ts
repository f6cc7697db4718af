import type { IJobCondition } from "kubernetes-models/batch/v1";
import type { IIngressLoadBalancerIngress, IIngressRule } from "kubernetes-models/networking.k8s.io/v1";
import type { IContainer, IContainerState, IContainerStatus, INodeAddress, INodeCondition, IPodCondition, IServicePort } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import { selectorString } from "./selectors";

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}

interface Printer {
  columns: Column[];
  cells(obj: KubeObject, now: number): unknown[];
}

const col = (name: string, type = "string", priority = 0, format = ""): Column => ({
  name,
  type,
  format,
  description:
    name === "Name"
      ? "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
      : name === "Age"
        ? "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
        : name,
  priority,
});

/** duration.HumanDuration from k8s.io/apimachinery, which kubectl's AGE column uses. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function since(ts: string | undefined, now: number): string {
  if (!ts) return "<unknown>";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now - t);
}

const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);

/** kubectl's pod STATUS/READY/RESTARTS, following printPod in pkg/printers/internalversion. */
export function podSummary(pod: KubeObject, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const total = (spec.containers ?? []).length;
  let readyCount = 0;
  let restarts = 0;
  let lastRestart = 0;
  let reason: string = status.phase ?? "";
  if (status.reason) reason = status.reason;

  const noteRestart = (cs: IContainerStatus) => {
    restarts += cs.restartCount ?? 0;
    const finished = cs.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished) || 0);
  };

  let initializing = false;
  const initStatuses: IContainerStatus[] = status.initContainerStatuses ?? [];
  initStatuses.forEach((cs, i) => {
    noteRestart(cs);
    const t = cs.state?.terminated;
    if (t && t.exitCode === 0) return;
    if (cs.started && cs.state?.running) return;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (cs.state?.waiting?.reason && cs.state.waiting.reason !== "PodInitializing") reason = `Init:${cs.state.waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
  });
  if (initializing) restarts = 0;

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses: IContainerStatus[] = [...(status.containerStatuses ?? [])].reverse();
    for (const cs of statuses) {
      noteRestart(cs);
      const st: IContainerState = cs.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
      else if (cs.ready && st.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const podReady = (status.conditions ?? []).some((c: IPodCondition) => c.type === "Ready" && c.status === "True");
      reason = podReady ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp) reason = "Terminating";

  const restartText = lastRestart > 0 && restarts > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartText };
}

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

const PRINTERS: Record<string, Printer> = {
  "core/pods": {
    columns: [
      col("Name"),
      col("Ready"),
      col("Status"),
      col("Restarts", "string"),
      col("Age"),
      col("IP", "string", 1),
      col("Node", "string", 1),
      col("Nominated Node", "string", 1),
      col("Readiness Gates", "string", 1),
    ],
    cells(o, now) {
      const s = podSummary(o, now);
      return [
        o.metadata.name,
        s.ready,
        s.status,
        s.restarts,
        age(o, now),
        o.status?.podIP || "<none>",
        o.spec?.nodeName || "<none>",
        o.status?.nominatedNodeName || "<none>",
        "<none>",
      ];
    },
  },
  "apps/deployments": {
    columns: [
      col("Name"),
      col("Ready"),
      col("Up-to-date", "integer"),
      col("Available", "integer"),
      col("Age"),
      col("Containers", "string", 1),
      col("Images", "string", 1),
      col("Selector", "string", 1),
    ],
    cells(o, now) {
      const st = o.status ?? {};
      const containers: IContainer[] = o.spec?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        `${st.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
        st.updatedReplicas ?? 0,
        st.availableReplicas ?? 0,
        age(o, now),
        containers.map((c) => c.name).join(","),
        containers.map((c) => c.image).join(","),
        selectorString(o.spec?.selector) || "<none>",
      ];
    },
  },
  "apps/replicasets": {
    columns: [
      col("Name"),
      col("Desired", "integer"),
      col("Current", "integer"),
      col("Ready", "integer"),
      col("Age"),
      col("Containers", "string", 1),
      col("Images", "string", 1),
      col("Selector", "string", 1),
    ],
    cells(o, now) {
      const containers: IContainer[] = o.spec?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        o.spec?.replicas ?? 1,
        o.status?.replicas ?? 0,
        o.status?.readyReplicas ?? 0,
        age(o, now),
        containers.map((c) => c.name).join(","),
        containers.map((c) => c.image).join(","),
        selectorString(o.spec?.selector) || "<none>",
      ];
    },
  },
  "apps/statefulsets": {
    columns: [col("Name"), col("Ready"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1)],
    cells(o, now) {
      const containers: IContainer[] = o.spec?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
        age(o, now),
        containers.map((c) => c.name).join(","),
        containers.map((c) => c.image).join(","),
      ];
    },
  },
  "core/persistentvolumeclaims": {
    columns: [
      col("Name"),
      col("Status"),
      col("Volume"),
      col("Capacity"),
      col("Access Modes"),
      col("StorageClass"),
      col("VolumeAttributesClass"),
      col("Age"),
      col("VolumeMode", "string", 1),
    ],
    cells(o, now) {
      const status = o.metadata.deletionTimestamp ? "Terminating" : (o.status?.phase ?? "Pending");
      const bound = o.status?.phase === "Bound";
      const modes = bound ? (o.status?.accessModes ?? []).map((m: string) => ACCESS_MODES[m] ?? m).join(",") : "";
      return [
        o.metadata.name,
        status,
        o.spec?.volumeName ?? "",
        bound ? (o.status?.capacity?.storage ?? "") : "",
        modes,
        o.spec?.storageClassName ?? "<unset>",
        o.spec?.volumeAttributesClassName ?? "<unset>",
        age(o, now),
        o.spec?.volumeMode ?? "Filesystem",
      ];
    },
  },
  "core/persistentvolumes": {
    columns: [
      col("Name"),
      col("Capacity"),
      col("Access Modes"),
      col("Reclaim Policy"),
      col("Status"),
      col("Claim"),
      col("StorageClass"),
      col("VolumeAttributesClass"),
      col("Reason"),
      col("Age"),
    ],
    cells(o, now) {
      const ref = o.spec?.claimRef;
      return [
        o.metadata.name,
        o.spec?.capacity?.storage ?? "",
        (o.spec?.accessModes ?? []).map((m: string) => ACCESS_MODES[m] ?? m).join(","),
        o.spec?.persistentVolumeReclaimPolicy ?? "",
        o.status?.phase ?? "",
        ref ? `${ref.namespace}/${ref.name}` : "",
        o.spec?.storageClassName ?? "",
        "<unset>",
        o.status?.reason ?? "",
        age(o, now),
      ];
    },
  },
  "core/namespaces": {
    columns: [col("Name"), col("Status"), col("Age")],
    cells: (o, now) => [o.metadata.name, o.status?.phase ?? "Active", age(o, now)],
  },
  "core/events": {
    columns: [
      col("Last Seen"),
      col("Type"),
      col("Reason"),
      col("Object"),
      col("Subobject", "string", 1),
      col("Source", "string", 1),
      col("Message"),
      col("First Seen", "string", 1),
      col("Count", "integer", 1),
      col("Name", "string", 1),
    ],
    cells(o, now) {
      const last = o.series?.lastObservedTime ?? o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const first = o.firstTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const io = o.involvedObject ?? {};
      const source = o.source?.component ? (o.source.host ? `${o.source.component}, ${o.source.host}` : o.source.component) : (o.reportingComponent ?? "");
      return [
        since(last, now),
        o.type ?? "",
        o.reason ?? "",
        `${String(io.kind ?? "").toLowerCase()}/${io.name ?? ""}`,
        io.fieldPath ?? "",
        source,
        o.message ?? "",
        since(first, now),
        o.series?.count ?? o.count ?? 1,
        o.metadata.name,
      ];
    },
  },
  "core/nodes": {
    columns: [
      col("Name"),
      col("Status"),
      col("Roles"),
      col("Age"),
      col("Version"),
      col("Internal-IP", "string", 1),
      col("External-IP", "string", 1),
      col("OS-Image", "string", 1),
      col("Kernel-Version", "string", 1),
      col("Container-Runtime", "string", 1),
    ],
    cells(o, now) {
      const ready = (o.status?.conditions ?? []).find((c: INodeCondition) => c.type === "Ready");
      let status = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
      if (o.spec?.unschedulable) status += ",SchedulingDisabled";
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith("node-role.kubernetes.io/"))
        .map((k) => k.slice("node-role.kubernetes.io/".length));
      const addr = (t: string) => (o.status?.addresses ?? []).find((a: INodeAddress) => a.type === t)?.address ?? "<none>";
      const info = o.status?.nodeInfo ?? {};
      return [
        o.metadata.name,
        status,
        roles.join(",") || "<none>",
        age(o, now),
        info.kubeletVersion ?? "",
        addr("InternalIP"),
        addr("ExternalIP"),
        info.osImage ?? "<unknown>",
        info.kernelVersion ?? "<unknown>",
        info.containerRuntimeVersion ?? "<unknown>",
      ];
    },
  },
  "core/services": {
    columns: [col("Name"), col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), col("Age"), col("Selector", "string", 1)],
    cells(o, now) {
      const ports = (o.spec?.ports ?? []).map((p: IServicePort) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`).join(",");
      const sel = Object.entries(o.spec?.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      return [o.metadata.name, o.spec?.type ?? "ClusterIP", o.spec?.clusterIP ?? "<none>", "<none>", ports || "<none>", age(o, now), sel || "<none>"];
    },
  },
  "batch/jobs": {
    columns: [
      col("Name"),
      col("Status"),
      col("Completions"),
      col("Duration"),
      col("Age"),
      col("Containers", "string", 1),
      col("Images", "string", 1),
      col("Selector", "string", 1),
    ],
    cells(o, now) {
      const st = o.status ?? {};
      const cond = (t: string) => (st.conditions ?? []).some((c: IJobCondition) => c.type === t && c.status === "True");
      const status = cond("Failed") ? "Failed" : cond("Complete") ? "Complete" : cond("Suspended") ? "Suspended" : "Running";
      const start = st.startTime ? Date.parse(st.startTime) : undefined;
      const end = st.completionTime ? Date.parse(st.completionTime) : now;
      const containers: IContainer[] = o.spec?.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        status,
        `${st.succeeded ?? 0}/${o.spec?.completions ?? 1}`,
        start ? humanDuration(end - start) : "",
        age(o, now),
        containers.map((c) => c.name).join(","),
        containers.map((c) => c.image).join(","),
        selectorString(o.spec?.selector) || "<none>",
      ];
    },
  },
  "batch/cronjobs": {
    columns: [col("Name"), col("Schedule"), col("TimeZone"), col("Suspend", "boolean"), col("Active", "integer"), col("Last Schedule"), col("Age")],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.schedule ?? "",
      o.spec?.timeZone ?? "<none>",
      o.spec?.suspend ?? false,
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : "<none>",
      age(o, now),
    ],
  },
  "networking.k8s.io/ingresses": {
    columns: [col("Name"), col("Class"), col("Hosts"), col("Address"), col("Ports"), col("Age")],
    cells(o, now) {
      const hosts =
        (o.spec?.rules ?? [])
          .map((r: IIngressRule) => r.host)
          .filter(Boolean)
          .join(",") || "*";
      const address = (o.status?.loadBalancer?.ingress ?? []).map((i: IIngressLoadBalancerIngress) => i.ip ?? i.hostname).join(",");
      return [o.metadata.name, o.spec?.ingressClassName ?? "<none>", hosts, address, o.spec?.tls?.length ? "80, 443" : "80", age(o, now)];
    },
  },
  "storage.k8s.io/storageclasses": {
    columns: [col("Name"), col("Provisioner"), col("ReclaimPolicy"), col("VolumeBindingMode"), col("AllowVolumeExpansion", "string"), col("Age")],
    cells(o, now) {
      const isDefault = o.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
      return [
        isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
        o.provisioner ?? "",
        o.reclaimPolicy ?? "Delete",
        o.volumeBindingMode ?? "Immediate",
        String(o.allowVolumeExpansion ?? false),
        age(o, now),
      ];
    },
  },
  "core/resourcequotas": {
    columns: [col("Name"), col("Age"), col("Request"), col("Limit")],
    cells(o, now) {
      const hard = o.status?.hard ?? o.spec?.hard ?? {};
      const used = o.status?.used ?? {};
      const fmt = (keys: string[]) => keys.map((k) => `${k}: ${used[k] ?? "0"}/${hard[k]}`).join(", ");
      const keys = Object.keys(hard).sort();
      return [o.metadata.name, age(o, now), fmt(keys.filter((k) => !k.startsWith("limits."))), fmt(keys.filter((k) => k.startsWith("limits.")))];
    },
  },
  "policy/poddisruptionbudgets": {
    columns: [col("Name"), col("Min Available"), col("Max Unavailable"), col("Allowed Disruptions", "integer"), col("Age")],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : "N/A",
      o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : "N/A",
      o.status?.disruptionsAllowed ?? 0,
      age(o, now),
    ],
  },
  "core/configmaps": {
    columns: [col("Name"), col("Data", "integer"), col("Age")],
    cells: (o, now) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
  },
  "core/serviceaccounts": {
    columns: [col("Name"), col("Secrets", "integer"), col("Age")],
    cells: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)],
  },
  "coordination.k8s.io/leases": {
    columns: [col("Name"), col("Holder"), col("Age")],
    cells: (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? "", age(o, now)],
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [col("Name"), col("Age")],
  cells: (o, now) => [o.metadata.name, age(o, now)],
};

export type IncludeObject = "None" | "Metadata" | "Object";

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** A meta.k8s.io/v1 Table as JSON text; `objectJson` gives each object's cached serialization. */
export function tableJson(
  resourceKey: string,
  objects: KubeObject[],
  opts: { includeObject: IncludeObject; resourceVersion: string; continueToken?: string; remainingItemCount?: number; objectJson: (o: KubeObject) => string },
): string {
  const printer = PRINTERS[resourceKey] ?? DEFAULT_PRINTER;
  const now = Date.now();
  const rows = objects.map((o) => {
    const cells = JSON.stringify(printer.cells(o, now));
    let object = "";
    if (opts.includeObject === "Object") object = `,"object":${opts.objectJson(o)}`;
    else if (opts.includeObject === "Metadata")
      object = `,"object":${JSON.stringify({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata })}`;
    return `{"cells":${cells}${object}}`;
  });
  const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion };
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(metadata)},"columnDefinitions":${JSON.stringify(printer.columns)},"rows":[${rows.join(",")}]}`;
}

// Writes the generated fleet into the store as a cluster that has been running for months:
// objects carry past timestamps and settled status, failing tenants carry their history
// (restart counts, last terminations, events with counts) and containers have log history.
import type { LogStore } from "../logs/log-store";
import { OdooLogGenerator, type TimedLine } from "../logs/odoo-log-generator";
import type { ObjectStore } from "../store/object-store";
import type { IContainer, IPodTemplateSpec } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import type { SimContext } from "../controllers/context";
import { parseCron } from "../controllers/cron-schedule";
import type { EventRecorder } from "../controllers/event-recorder";
import { BAD_DB_HOST } from "../controllers/kubelet";
import { quotaStatus } from "../controllers/quota-controller";
import { iso, parseQuantity, podRequests, cpuMillis, type Condition } from "../controllers/kube-util";
import { podStatusOf, unschedulableStatus, type ContainerRuntime } from "../controllers/pod-status";
import { boundClaim, persistentVolumeFor, RESIZE_ANNOTATION } from "../controllers/volume-controller";
import { RESIZE_INFEASIBLE_STORAGE_CLASS } from "./scenarios";
import { deploymentTemplateHash, jobFor, podFor, replicaSetFor, withJobDefaults } from "../controllers/workloads";
import {
  cronJobOf,
  deploymentOf,
  ingressOf,
  namespaceOf,
  nodeCountFor,
  nodeIpOf,
  nodeOf,
  odooImageOf,
  platformObjects,
  pvcOf,
  quotaOf,
  tenantLabels,
  serviceOf,
  storageClasses,
  tenantNamespace,
} from "./manifests";
import { createRng, randomSuffix, type Rng } from "./prng";
import type { FleetPlan, TenantPlan } from "./tenant-plan";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface NodeSlot {
  name: string;
  index: number;
  ip: string;
  cpuFree: number;
  memFree: number;
  nextIp: number;
}

export interface PopulateResult {
  nodes: string[];
}

export class FleetPopulator {
  private rng: Rng;
  private nodes: NodeSlot[] = [];
  private logGen: OdooLogGenerator;
  private readonly now: number;
  private readonly historyLines: number;

  constructor(
    private readonly plan: FleetPlan,
    private readonly store: ObjectStore,
    private readonly logs: LogStore,
    private readonly events: EventRecorder,
    private readonly ctx: Pick<SimContext, "volumeUsage" | "behaviour" | "backupFailures" | "tenants" | "stuckPods">,
  ) {
    this.rng = createRng(plan.seed, "populate");
    this.logGen = new OdooLogGenerator(plan.seed);
    this.now = plan.now.getTime();
    this.historyLines = plan.tenants.length <= 200 ? 40 : 6;
  }

  private uid(): string {
    return this.rng.uuid();
  }

  private create(key: string, obj: KubeObject): KubeObject {
    obj.metadata.uid ??= this.uid();
    return this.store.create(key, obj);
  }

  run(): PopulateResult {
    const clusterBirth = iso(this.now - 420 * DAY);
    // Every cluster has these from its first start (kube-apiserver's system namespace controller).
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.create("core/namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, creationTimestamp: clusterBirth, labels: { "kubernetes.io/metadata.name": name } },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      });
    }
    for (const sc of storageClasses(clusterBirth)) this.create("storage.k8s.io/storageclasses", sc);
    if (this.plan.tenants.some((t) => t.problem === "resize-infeasible")) {
      // Claims the driver can never grow: the pool behind it is at its size limit.
      const ceph = this.store.get("storage.k8s.io/storageclasses", undefined, "ceph-rbd")!;
      this.create("storage.k8s.io/storageclasses", {
        ...ceph,
        metadata: { name: RESIZE_INFEASIBLE_STORAGE_CLASS, creationTimestamp: clusterBirth, annotations: { [RESIZE_ANNOTATION]: "infeasible" } },
        parameters: { ...ceph.parameters, pool: "kubernetes-capped" },
      });
    }
    const nodeCount = nodeCountFor(this.plan.tenants.length);
    for (let i = 0; i < nodeCount; i++) {
      const node = this.create("core/nodes", nodeOf(i, iso(this.now - (30 + i) * DAY), this.uid()));
      this.nodes.push({
        name: node.metadata.name,
        index: i,
        ip: nodeIpOf(i),
        cpuFree: cpuMillis(node.status.allocatable.cpu),
        memFree: parseQuantity(node.status.allocatable.memory),
        nextIp: 2,
      });
    }
    this.populatePlatform(clusterBirth);
    for (const t of this.plan.tenants) this.populateTenant(t);
    return { nodes: this.nodes.map((n) => n.name) };
  }

  private place(pod: KubeObject): NodeSlot {
    const req = podRequests(pod);
    let best = this.nodes[0];
    for (const n of this.nodes) if (n.memFree - req.memory > best.memFree - req.memory && n.cpuFree >= req.cpu) best = n;
    best.cpuFree -= req.cpu;
    best.memFree -= req.memory;
    return best;
  }

  private podIp(node: NodeSlot): string {
    const ip = `10.42.${node.index}.${node.nextIp}`;
    node.nextIp = node.nextIp >= 253 ? 2 : node.nextIp + 1;
    return ip;
  }

  /** A pod that was created at `createdAt` and is in the state `containers` describe. */
  private runningPod(
    owner: KubeObject,
    template: IPodTemplateSpec,
    name: string,
    createdAt: number,
    containers: ContainerRuntime[],
    extra: Parameters<typeof podFor>[3] = {},
    adjust?: (pod: KubeObject) => void,
  ): KubeObject {
    const pod = podFor(owner, template, name, { ...extra, createdAt: iso(createdAt) });
    pod.metadata.uid = this.uid();
    const node = this.place(pod);
    pod.spec.nodeName = node.name;
    const start = iso(createdAt + 1000);
    pod.status = podStatusOf({ pod, containers, nodeIP: node.ip, podIP: this.podIp(node), startTime: start, now: iso(createdAt + 20_000) });
    const conditions = pod.status.conditions as Condition[];
    for (const c of conditions)
      if (c.type === "PodScheduled" || c.type === "Initialized" || c.type === "PodReadyToStartContainers")
        c.lastTransitionTime = iso(createdAt + (c.type === "PodScheduled" ? 0 : 2000));
    adjust?.(pod);
    return this.create("core/pods", pod);
  }

  private populatePlatform(createdAt: string): void {
    const born = Date.parse(createdAt);
    for (const { key, obj } of platformObjects(createdAt)) {
      if (key === "apps/deployments") {
        this.materializeDeployment(obj, born + 7 * DAY, "healthy");
        continue;
      }
      const created = this.create(key, obj);
      if (key === "apps/statefulsets") this.materializeStatefulSet(created, born + 2 * HOUR);
    }
  }

  private materializeStatefulSet(sts: KubeObject, startedAt: number): void {
    const ns = sts.metadata.namespace!;
    const podName = `${sts.metadata.name}-0`;
    const claimName = `data-${podName}`;
    const sc = this.store.get("storage.k8s.io/storageclasses", undefined, "ceph-rbd")!;
    const pvc: KubeObject = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name: claimName,
        namespace: ns,
        uid: this.uid(),
        creationTimestamp: iso(startedAt - MIN),
        labels: { ...sts.spec.selector.matchLabels },
        finalizers: ["kubernetes.io/pvc-protection"],
      },
      spec: structuredClone(sts.spec.volumeClaimTemplates[0].spec),
      status: {},
    };
    const pv = persistentVolumeFor(pvc, sc, iso(startedAt - MIN + 2000));
    boundClaim(pvc, pv, sc);
    this.create("core/persistentvolumeclaims", pvc);
    this.create("core/persistentvolumes", pv);
    this.ctx.volumeUsage.set(`${ns}/${claimName}`, 0.41);
    const template = structuredClone(sts.spec.template);
    template.spec.volumes = [{ name: "data", persistentVolumeClaim: { claimName } }];
    const revision = `${sts.metadata.name}-7b9c5d8f4`;
    this.runningPod(sts, template, podName, startedAt, [this.healthyContainer("postgres", "postgres:16.4", startedAt)], {
      hostname: podName,
      labels: { "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": podName },
    });
    this.store.mutate("apps/statefulsets", ns, sts.metadata.name, (d) => {
      d.status = {
        observedGeneration: 1,
        replicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        currentReplicas: 1,
        updatedReplicas: 1,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      };
    });
  }

  private healthyContainer(name: string, image: string, startedAt: number): ContainerRuntime {
    return { name, image, imagePulled: true, restartCount: 0, phase: { kind: "running", startedAt: iso(startedAt + 3000), ready: true } };
  }

  /** Deployment + ReplicaSet + pods, each created once with its settled status. */
  private materializeDeployment(
    d: KubeObject,
    podCreatedAt: number,
    state: "healthy" | "problem",
    containersFor?: () => ContainerRuntime[],
    podShape?: (pod: KubeObject) => void,
    adjust?: (pod: KubeObject) => void,
  ): KubeObject[] {
    d.metadata.uid ??= this.uid();
    const hash = deploymentTemplateHash(d);
    const replicas = d.spec.replicas ?? 1;
    const rs = replicaSetFor(d, hash, replicas, 1, iso(podCreatedAt - 500));
    rs.metadata.uid = this.uid();
    const ready = state === "healthy" ? replicas : 0;
    rs.status = {
      replicas,
      ...(replicas ? { fullyLabeledReplicas: replicas } : {}),
      ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
      observedGeneration: 1,
    };
    const readyAt = iso(podCreatedAt + 25_000);
    const created = d.metadata.creationTimestamp!;
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), "deployment.kubernetes.io/revision": "1" };
    const available =
      ready >= replicas
        ? {
            type: "Available",
            status: "True",
            lastUpdateTime: readyAt,
            lastTransitionTime: readyAt,
            reason: "MinimumReplicasAvailable",
            message: "Deployment has minimum availability.",
          }
        : {
            type: "Available",
            status: "False",
            lastUpdateTime: iso(podCreatedAt),
            lastTransitionTime: iso(podCreatedAt),
            reason: "MinimumReplicasUnavailable",
            message: "Deployment does not have minimum availability.",
          };
    const progressing =
      ready >= replicas
        ? {
            type: "Progressing",
            status: "True",
            lastUpdateTime: readyAt,
            lastTransitionTime: created,
            reason: "NewReplicaSetAvailable",
            message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
          }
        : {
            type: "Progressing",
            status: "False",
            lastUpdateTime: iso(podCreatedAt + 600_000),
            lastTransitionTime: iso(podCreatedAt + 600_000),
            reason: "ProgressDeadlineExceeded",
            message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
          };
    d.status = {
      observedGeneration: 1,
      ...(replicas ? { replicas, updatedReplicas: replicas } : {}),
      ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
      ...(replicas - ready > 0 ? { unavailableReplicas: replicas - ready } : {}),
      conditions: [available, progressing],
    };
    this.create("apps/deployments", d);
    const createdRS = this.create("apps/replicasets", rs);
    const pods: KubeObject[] = [];
    for (let i = 0; i < replicas; i++) {
      const name = `${createdRS.metadata.name}-${randomSuffix(this.rng)}`;
      if (podShape) {
        const pod = podFor(createdRS, createdRS.spec.template, name, { createdAt: iso(podCreatedAt) });
        pod.metadata.uid = this.uid();
        podShape(pod);
        pods.push(this.create("core/pods", pod));
        continue;
      }
      const containers = containersFor
        ? containersFor()
        : (createdRS.spec.template.spec.containers as IContainer[]).map((c) => this.healthyContainer(c.name, c.image!, podCreatedAt));
      pods.push(this.runningPod(createdRS, createdRS.spec.template, name, podCreatedAt, containers, {}, adjust));
    }
    return pods;
  }

  private writeLogs(ns: string, pod: string, container: string, lines: TimedLine[]): void {
    for (const l of lines) if (l.at <= this.now) this.logs.append(ns, pod, container, l.text, new Date(l.at));
  }

  private populateTenant(t: TenantPlan): void {
    const ns = tenantNamespace(t.databaseName);
    const created = t.createdAt.getTime();
    const createdAt = iso(created);
    const rng = createRng(this.plan.seed, `populate:${t.index}`);
    this.ctx.tenants.set(ns, { databaseName: t.databaseName, odooVersion: t.odooVersion, liveLogs: t.liveLogs });
    if (t.problem === "crash-loop") this.ctx.behaviour.set(ns, "crash");
    if (t.problem === "oom-killed") this.ctx.behaviour.set(ns, "oom");
    if (t.problem === "backup-failed") this.ctx.backupFailures.add(ns);

    this.create("core/namespaces", namespaceOf(t, createdAt));
    this.create("core/serviceaccounts", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default", namespace: ns, creationTimestamp: createdAt },
    });

    // Filestore claim, bound to its provisioned volume (or stuck on a missing class).
    const pvc = pvcOf(t, iso(created + 2000));
    pvc.metadata.uid = this.uid();
    const sc = this.store.get("storage.k8s.io/storageclasses", undefined, pvc.spec.storageClassName);
    let pvName: string | undefined;
    if (sc) {
      const pv = persistentVolumeFor(pvc, sc, iso(created + 4000));
      boundClaim(pvc, pv, sc);
      this.create("core/persistentvolumeclaims", pvc);
      this.create("core/persistentvolumes", pv);
      pvName = pv.metadata.name;
      this.ctx.volumeUsage.set(`${ns}/odoo-filestore`, t.volumeUsedFraction);
    } else {
      const stored = this.create("core/persistentvolumeclaims", pvc);
      this.events.record(
        stored,
        "Warning",
        "ProvisioningFailed",
        `storageclass.storage.k8s.io "${pvc.spec.storageClassName}" not found`,
        { component: "persistentvolume-controller" },
        { count: 61, firstTimestamp: this.now - 15 * MIN, lastTimestamp: this.now - 12_000 },
      );
    }

    // A tenant on Swarm: the migration scripts prepared its namespace, PVC, Service and Ingress; the
    // Deployment waits at 0 replicas until the wave starts it on Kubernetes.
    const stopped = t.problem === "stopped" || t.problem === "suspended" || t.problem === "quota-blocked" || t.platform === "swarm";
    const deployment = deploymentOf(t, createdAt, stopped ? 0 : 1);
    if (t.problem === "suspended") {
      deployment.metadata.annotations = {
        ...deployment.metadata.annotations,
        "saasodoo.io/suspended-at": iso(this.now - 3 * DAY),
        "saasodoo.io/suspension-reason": "billing: invoice overdue for more than 30 days",
      };
    }
    const d = deployment;
    this.create("core/services", serviceOf(t, createdAt, `10.${96 + ((t.index + 64) >> 16)}.${((t.index + 64) >> 8) & 255}.${(t.index + 64) & 255}`));
    this.create("networking.k8s.io/ingresses", ingressOf(t, createdAt));

    const podCreated = t.podStartedAt.getTime();
    const image = odooImageOf(t);
    switch (t.problem) {
      case "crash-loop": {
        const since = this.now - rng.int(2, 5) * HOUR;
        const restarts = rng.int(28, 55);
        const lastExit = this.now - rng.int(20, 90) * 1000;
        const [pod] = this.materializeDeployment(
          d,
          since,
          "problem",
          () => [
            {
              name: "odoo",
              image,
              imagePulled: true,
              restartCount: restarts,
              lastTermination: { exitCode: 1, reason: "Error", startedAt: iso(lastExit - 2200), finishedAt: iso(lastExit), containerID: "" },
              phase: { kind: "waiting", reason: "CrashLoopBackOff", message: "" },
            },
          ],
          undefined,
          (p) => this.fixCrashStatus(p, lastExit),
        );
        const e = (reason: string, type: "Normal" | "Warning", msg: string, count: number) =>
          this.events.record(
            pod,
            type,
            reason,
            msg,
            { component: "kubelet", host: pod.spec.nodeName },
            { fieldPath: "spec.containers{odoo}", count, firstTimestamp: this.now - 55 * MIN, lastTimestamp: lastExit },
          );
        e("Pulled", "Normal", `Container image "${image}" already present on machine`, 11);
        e("Created", "Normal", "Created container: odoo", 11);
        e("Started", "Normal", "Started container odoo", 11);
        e(
          "Unhealthy",
          "Warning",
          `Readiness probe failed: Get "http://${pod.status.podIP}:8069/web/health": dial tcp ${pod.status.podIP}:8069: connect: connection refused`,
          11,
        );
        e("BackOff", "Warning", `Back-off restarting failed container odoo in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`, 247);
        this.crashLogs(ns, pod.metadata.name, t, lastExit);
        break;
      }
      case "oom-killed": {
        const since = this.now - rng.int(6, 20) * HOUR;
        const restarts = rng.int(6, 14);
        const lastExit = this.now - rng.int(60, 240) * 1000;
        const [pod] = this.materializeDeployment(
          d,
          since,
          "healthy",
          () => [
            {
              name: "odoo",
              image,
              imagePulled: true,
              restartCount: restarts,
              lastTermination: { exitCode: 137, reason: "OOMKilled", startedAt: iso(lastExit - 35 * MIN), finishedAt: iso(lastExit), containerID: "" },
              phase: { kind: "running", startedAt: iso(lastExit + 10_000), ready: true },
            },
          ],
          undefined,
          (p) => this.fixLastContainerId(p),
        );
        this.events.record(
          pod,
          "Warning",
          "Unhealthy",
          `Liveness probe failed: Get "http://${pod.status.podIP}:8069/web/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          { component: "kubelet", host: pod.spec.nodeName },
          { fieldPath: "spec.containers{odoo}", count: 3, firstTimestamp: this.now - 50 * MIN, lastTimestamp: lastExit - 2000 },
        );
        this.events.record(
          pod,
          "Normal",
          "Pulled",
          `Container image "${image}" already present on machine`,
          { component: "kubelet", host: pod.spec.nodeName },
          { fieldPath: "spec.containers{odoo}", count: 2, firstTimestamp: this.now - 50 * MIN, lastTimestamp: lastExit + 8000 },
        );
        const prev = [
          ...this.logGen.startup(t.databaseName, t.odooVersion, pod.metadata.name, lastExit - 35 * MIN),
          ...this.logGen.history(t.databaseName, lastExit - 34 * MIN, lastExit - 5000, this.historyLines),
          ...this.logGen.memoryPressure(t.databaseName, lastExit - 3000),
        ];
        this.writeLogs(ns, pod.metadata.name, "odoo", prev);
        this.logs.rotate(ns, pod.metadata.name, "odoo");
        this.writeLogs(ns, pod.metadata.name, "odoo", [
          ...this.logGen.startup(t.databaseName, t.odooVersion, pod.metadata.name, lastExit + 10_000),
          ...this.logGen.history(t.databaseName, lastExit + 30_000, this.now, 10),
        ]);
        break;
      }
      case "image-pull": {
        const since = this.now - rng.int(40, 180) * MIN;
        const [pod] = this.materializeDeployment(d, since, "problem", () => [
          {
            name: "odoo",
            image,
            imagePulled: false,
            restartCount: 0,
            phase: { kind: "waiting", reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` },
          },
        ]);
        const ref = `docker.io/library/${image}`;
        const e = (reason: string, type: "Normal" | "Warning", msg: string, count: number) =>
          this.events.record(
            pod,
            type,
            reason,
            msg,
            { component: "kubelet", host: pod.spec.nodeName },
            { fieldPath: "spec.containers{odoo}", count, firstTimestamp: this.now - 58 * MIN, lastTimestamp: this.now - rng.int(5, 60) * 1000 },
          );
        e("Pulling", "Normal", `Pulling image "${image}"`, 14);
        e(
          "Failed",
          "Warning",
          `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
          14,
        );
        e("Failed", "Warning", "Error: ErrImagePull", 14);
        e("BackOff", "Normal", `Back-off pulling image "${image}"`, 236);
        e("Failed", "Warning", "Error: ImagePullBackOff", 236);
        break;
      }
      case "unschedulable":
      case "pvc-pending": {
        const since = this.now - rng.int(30, 200) * MIN;
        const n = this.nodes.length;
        const message =
          t.problem === "unschedulable"
            ? `0/${n} nodes are available: ${n} Insufficient memory. preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`
            : `0/${n} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
        const [pod] = this.materializeDeployment(d, since, "problem", undefined, (p) => {
          p.status = unschedulableStatus(p, message, iso(since));
        });
        this.events.record(
          pod,
          "Warning",
          "FailedScheduling",
          message,
          { component: "default-scheduler" },
          { count: 12, firstTimestamp: this.now - 56 * MIN, lastTimestamp: this.now - rng.int(5, 120) * 1000 },
        );
        break;
      }
      case "stopped":
      case "suspended":
      case "quota-blocked": {
        this.materializeDeployment(d, podCreated, "healthy");
        const at = t.problem === "suspended" ? this.now - 3 * DAY : this.now - rng.int(10, 50) * MIN;
        if (this.now - at < HOUR) {
          const rsName = `${d.metadata.name}-${deploymentTemplateHash(d)}`;
          this.events.record(
            d,
            "Normal",
            "ScalingReplicaSet",
            `Scaled down replica set ${rsName} from 1 to 0`,
            { component: "deployment-controller" },
            { firstTimestamp: at, lastTimestamp: at },
          );
        }
        break;
      }
      default: {
        if (t.platform === "swarm") {
          // Its ReplicaSet at 0: no pod, no logs until the tenant is started on Kubernetes.
          this.materializeDeployment(d, podCreated, "healthy");
          break;
        }
        const [pod] = this.materializeDeployment(d, podCreated, "healthy");
        this.writeLogs(ns, pod.metadata.name, "odoo", [
          ...this.logGen.startup(t.databaseName, t.odooVersion, pod.metadata.name, podCreated + 3000),
          ...this.logGen.history(t.databaseName, podCreated + 60_000, this.now, this.historyLines),
        ]);
        if (t.problem === "stuck-terminating") this.stuckPod(pod);
        if (t.problem === "eviction-blocked") this.create("policy/poddisruptionbudgets", this.pdbFor(d, t, createdAt));
      }
    }

    const cj = cronJobOf(t, createdAt);
    cj.metadata.uid = this.uid();
    this.populateBackups(t, cj, pvName !== undefined);
    const quota = quotaOf(t, createdAt);
    if (t.problem === "quota-blocked") quota.spec.hard.pods = "0";
    quota.status = quotaStatus(this.store, ns, quota.spec.hard);
    this.create("core/resourcequotas", quota);
  }

  /** The pod the replacement took over from: deleted 20 minutes ago, its kubelet never confirmed the stop. */
  private stuckPod(running: KubeObject): void {
    const pod = structuredClone(running) as KubeObject;
    const rsName = pod.metadata.generateName!.replace(/-$/, "");
    pod.metadata.name = `${rsName}-${randomSuffix(this.rng)}`;
    pod.metadata.uid = this.uid();
    pod.metadata.creationTimestamp = iso(this.now - 3 * DAY);
    delete pod.metadata.resourceVersion;
    this.ctx.stuckPods.add(pod.metadata.uid);
    this.create("core/pods", pod);
    // Creation clears deletion metadata, as the apiserver does: the deletion is a second write.
    this.store.mutate("core/pods", pod.metadata.namespace, pod.metadata.name, (d) => {
      d.metadata.deletionTimestamp = iso(this.now - 20 * MIN + 30_000);
      d.metadata.deletionGracePeriodSeconds = 30;
    });
  }

  private pdbFor(d: KubeObject, t: TenantPlan, createdAt: string): KubeObject {
    return {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "odoo-pdb", namespace: d.metadata.namespace, creationTimestamp: createdAt, labels: tenantLabels(t), generation: 1 },
      spec: { minAvailable: 1, selector: { matchLabels: { ...d.spec.selector.matchLabels } } },
      status: {
        disruptionsAllowed: 0,
        currentHealthy: 1,
        desiredHealthy: 1,
        expectedPods: 1,
        observedGeneration: 1,
        conditions: [
          { type: "DisruptionAllowed", status: "False", reason: "InsufficientPods", message: "", observedGeneration: 1, lastTransitionTime: createdAt },
        ],
      },
    };
  }

  private fixLastContainerId(d: KubeObject): void {
    const s = d.status.containerStatuses[0];
    if (s.lastState?.terminated) s.lastState.terminated.containerID = `containerd://${this.rng.hex(64)}`;
  }

  private fixCrashStatus(d: KubeObject, lastExit: number): void {
    {
      const s = d.status.containerStatuses[0];
      s.state = {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off 5m0s restarting failed container=odoo pod=${d.metadata.name}_${d.metadata.namespace}(${d.metadata.uid})`,
        },
      };
      s.lastState.terminated.containerID = `containerd://${this.rng.hex(64)}`;
      s.containerID = s.lastState.terminated.containerID;
      for (const c of d.status.conditions) if (c.type === "Ready" || c.type === "ContainersReady") c.lastTransitionTime = iso(lastExit);
    }
  }

  private crashLogs(ns: string, pod: string, t: TenantPlan, lastExit: number): void {
    const run = (start: number) => [
      ...this.logGen.startup(t.databaseName, t.odooVersion, pod, start, { badDbHost: BAD_DB_HOST }),
      ...this.logGen.databaseConnectionFailure(t.databaseName, start + 1800, BAD_DB_HOST),
    ];
    this.writeLogs(ns, pod, "odoo", run(lastExit - 5 * MIN - 2200));
    this.logs.rotate(ns, pod, "odoo");
    this.writeLogs(ns, pod, "odoo", run(lastExit - 2200));
  }

  private populateBackups(t: TenantPlan, cj: KubeObject, volumeBound: boolean): void {
    if (!volumeBound) {
      this.create("batch/cronjobs", cj); // never ran: its claim was never bound
      return;
    }
    const ns = cj.metadata.namespace!;
    const schedule = parseCron(cj.spec.schedule);
    const keep = this.plan.tenants.length > 1000 ? 1 : 2 + (t.index % 2);
    const fires: number[] = [];
    for (let k = keep; k >= 1; k--) {
      const fire = schedule.next(this.now - k * DAY);
      if (fire > t.createdAt.getTime() && fire <= this.now) fires.push(fire);
    }
    let lastSuccess: string | undefined;
    for (const fire of fires)
      if (!(t.problem === "backup-failed" && fire === fires[fires.length - 1])) lastSuccess = iso(fire + 40_000 + (t.index % 97) * 1000);
    if (fires.length) cj.status = { lastScheduleTime: iso(fires[fires.length - 1]), ...(lastSuccess ? { lastSuccessfulTime: lastSuccess } : {}) };
    this.create("batch/cronjobs", cj);
    fires.forEach((fire, i) => {
      const failed = t.problem === "backup-failed" && i === fires.length - 1;
      const job = jobFor(cj, fire, iso(fire));
      job.metadata.uid = this.uid();
      withJobDefaults(job);
      const runMs = 40_000 + (t.index % 97) * 1000;
      if (failed) {
        job.status = {
          startTime: iso(fire),
          failed: 2,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: "FailureTarget",
              status: "True",
              reason: "BackoffLimitExceeded",
              message: "Job has reached the specified backoff limit",
              lastProbeTime: iso(fire + 45_000),
              lastTransitionTime: iso(fire + 45_000),
            },
            {
              type: "Failed",
              status: "True",
              reason: "BackoffLimitExceeded",
              message: "Job has reached the specified backoff limit",
              lastProbeTime: iso(fire + 45_000),
              lastTransitionTime: iso(fire + 45_000),
            },
          ],
        };
      } else {
        const done = iso(fire + runMs);
        job.status = {
          startTime: iso(fire),
          completionTime: done,
          succeeded: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: "SuccessCriteriaMet",
              status: "True",
              reason: "CompletionsReached",
              message: "Reached expected number of succeeded pods",
              lastProbeTime: done,
              lastTransitionTime: done,
            },
            {
              type: "Complete",
              status: "True",
              reason: "CompletionsReached",
              message: "Reached expected number of succeeded pods",
              lastProbeTime: done,
              lastTransitionTime: done,
            },
          ],
        };
      }
      const created = this.create("batch/jobs", job);
      const attempts = failed ? 2 : 1;
      for (let a = 0; a < attempts; a++) {
        const start = fire + a * 20_000;
        const end = failed ? start + 4000 : fire + runMs - 1000;
        const name = `${created.metadata.name}-${randomSuffix(this.rng)}`;
        const pod = podFor(created, created.spec.template, name, { createdAt: iso(start) });
        pod.metadata.generateName = `${created.metadata.name}-`;
        pod.metadata.uid = this.uid();
        const node = this.nodes[(t.index + a) % this.nodes.length];
        pod.spec.nodeName = node.name;
        pod.status = podStatusOf({
          pod,
          nodeIP: node.ip,
          startTime: iso(start + 500),
          now: iso(end),
          containers: [
            {
              name: "backup",
              image: "postgres:16.4",
              imagePulled: true,
              restartCount: 0,
              phase: {
                kind: "terminated",
                exitCode: failed ? 1 : 0,
                reason: failed ? "Error" : "Completed",
                startedAt: iso(start + 1500),
                finishedAt: iso(end),
              },
            },
          ],
        });
        this.create("core/pods", pod);
        this.writeLogs(ns, name, "backup", this.logGen.backup(t.databaseName, start + 1600, failed));
      }
      if (failed && this.now - fire < HOUR) {
        this.events.record(
          created,
          "Warning",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          { component: "job-controller" },
          { firstTimestamp: fire + 45_000, lastTimestamp: fire + 45_000 },
        );
      }
    });
  }
}

// persistentvolume-controller + CSI provisioner/resizer + pvc-protection: provisions and binds
// claims, reports a missing storage class, expands volumes through FileSystemResizePending,
// and releases protection finalizers once no pod uses a claim.
import type { IVolume } from "kubernetes-models/v1";
import type { KubeObject, StoreEvent } from "../store/types";
import { CEPH_CLUSTER_ID, CSI_DRIVER } from "../fleet/manifests";
import { isPodTerminal, iso, parseQuantity } from "./kube-util";
import { splitKey } from "./work-queue";
import { QueuedController } from "./queued-controller";

const PROVISIONER_POD = "csi-rbdplugin-provisioner-6d8f7c9b5d-x7k2p";

/**
 * A StorageClass annotated with this (value "infeasible") advertises allowVolumeExpansion but its
 * CSI driver refuses every expansion: the resize ends ControllerResizeInfeasible, as when a pool
 * quota or a backend maximum is hit.
 */
export const RESIZE_ANNOTATION = "sim.fleetdeck.io/resize";

export function persistentVolumeFor(pvc: KubeObject, storageClass: KubeObject, createdAt?: string): KubeObject {
  const name = `pvc-${pvc.metadata.uid}`;
  const csi = storageClass.provisioner === CSI_DRIVER;
  const image = (pvc.metadata.uid ?? "").replace(/^(.{8})(.{4})(.{4})/, "$1-$2-$3");
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name,
      ...(createdAt ? { creationTimestamp: createdAt } : {}),
      annotations: {
        "pv.kubernetes.io/provisioned-by": storageClass.provisioner,
        ...(csi
          ? {
              "volume.kubernetes.io/provisioner-deletion-secret-name": "csi-rbd-secret",
              "volume.kubernetes.io/provisioner-deletion-secret-namespace": "ceph-csi-rbd",
            }
          : {}),
      },
      finalizers: ["kubernetes.io/pv-protection", ...(csi ? ["external-provisioner.volume.kubernetes.io/finalizer"] : [])],
    },
    spec: {
      accessModes: [...(pvc.spec.accessModes ?? ["ReadWriteOnce"])],
      capacity: { storage: pvc.spec.resources?.requests?.storage },
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        name: pvc.metadata.name,
        namespace: pvc.metadata.namespace,
        uid: pvc.metadata.uid,
        resourceVersion: pvc.metadata.resourceVersion,
      },
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
      storageClassName: storageClass.metadata.name,
      volumeMode: pvc.spec.volumeMode ?? "Filesystem",
      ...(csi
        ? {
            csi: {
              driver: CSI_DRIVER,
              fsType: "ext4",
              volumeHandle: `0001-0024-${CEPH_CLUSTER_ID}-0000000000000002-${image}`,
              volumeAttributes: {
                clusterID: CEPH_CLUSTER_ID,
                imageFeatures: "layering",
                imageName: `csi-vol-${image}`,
                journalPool: "kubernetes",
                pool: "kubernetes",
              },
            },
          }
        : { hostPath: { path: `/opt/local-path-provisioner/${name}_${pvc.metadata.namespace}_${pvc.metadata.name}`, type: "DirectoryOrCreate" } }),
    },
    status: { phase: "Bound", ...(createdAt ? { lastPhaseTransitionTime: createdAt } : {}) },
  };
}

export function boundClaim(pvc: KubeObject, pv: KubeObject, storageClass: KubeObject): void {
  pvc.spec.volumeName = pv.metadata.name;
  pvc.metadata.annotations = {
    ...(pvc.metadata.annotations ?? {}),
    "pv.kubernetes.io/bind-completed": "yes",
    "pv.kubernetes.io/bound-by-controller": "yes",
    "volume.beta.kubernetes.io/storage-provisioner": storageClass.provisioner,
    "volume.kubernetes.io/storage-provisioner": storageClass.provisioner,
  };
  pvc.status = { phase: "Bound", accessModes: [...pv.spec.accessModes], capacity: { storage: pv.spec.capacity.storage } };
}

export class VolumeController extends QueuedController {
  private busy = new Set<string>();

  start(): void {
    super.start();
    for (const pvc of this.ctx.store.list("core/persistentvolumeclaims"))
      if (pvc.status?.phase !== "Bound") this.queue.add(`${pvc.metadata.namespace}/${pvc.metadata.name}`);
  }

  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "core/persistentvolumeclaims" && ev.type !== "DELETED") this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    else if (ev.resource === "core/pods" && (ev.type === "DELETED" || isPodTerminal(ev.object))) {
      for (const v of ev.object.spec?.volumes ?? [])
        if (v.persistentVolumeClaim) this.queue.add(`${ev.object.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
    } else if (ev.resource === "storage.k8s.io/storageclasses" && ev.type === "ADDED") {
      for (const pvc of this.ctx.store.list("core/persistentvolumeclaims"))
        if (pvc.status?.phase === "Pending") this.queue.add(`${pvc.metadata.namespace}/${pvc.metadata.name}`);
    } else if (ev.resource === "core/persistentvolumes" && ev.object.metadata.deletionTimestamp) {
      const pv = ev.object;
      setImmediate(() => this.releasePv(pv.metadata.name));
    }
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pvc = this.ctx.store.get("core/persistentvolumeclaims", ns, name);
    if (!pvc) return;
    if (pvc.metadata.deletionTimestamp) return this.releaseClaim(pvc);
    const className = pvc.spec.storageClassName ?? this.defaultClass()?.metadata.name;
    const sc = className ? this.ctx.store.get("storage.k8s.io/storageclasses", undefined, className) : undefined;
    if (pvc.status?.phase !== "Bound") {
      if (this.busy.has(key)) return;
      if (!sc) {
        this.ctx.events.record(pvc, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`, {
          component: "persistentvolume-controller",
        });
        this.busy.add(key);
        // The controller retries with back-off; the event count grows as on a real cluster.
        this.ctx.timers.after(15_000 * Math.max(0.2, this.ctx.speed.lifecycle), () => {
          this.busy.delete(key);
          this.queue.add(key);
        });
        return;
      }
      this.busy.add(key);
      const source = { component: `${sc.provisioner}_${PROVISIONER_POD}_${this.ctx.rng.hex(8)}-${this.ctx.rng.hex(4)}` };
      this.ctx.events.record(
        pvc,
        "Normal",
        "ExternalProvisioning",
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        { component: "persistentvolume-controller" },
      );
      this.ctx.events.record(pvc, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${ns}/${name}"`, source);
      this.ctx.timers.after(800 * this.ctx.speed.lifecycle, () => {
        this.busy.delete(key);
        const fresh = this.ctx.store.get("core/persistentvolumeclaims", ns, name);
        if (!fresh || fresh.status?.phase === "Bound") return;
        const pv = persistentVolumeFor(fresh, sc);
        if (!this.ctx.store.get("core/persistentvolumes", undefined, pv.metadata.name)) this.ctx.store.create("core/persistentvolumes", pv);
        this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => boundClaim(d, pv, sc));
        this.ctx.events.record(fresh, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pv.metadata.name}`, source);
      });
      return;
    }
    this.maybeResize(pvc, sc, key);
  }

  private defaultClass(): KubeObject | undefined {
    return this.ctx.store.list("storage.k8s.io/storageclasses").find((s) => s.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
  }

  private maybeResize(pvc: KubeObject, sc: KubeObject | undefined, key: string): void {
    const requested = parseQuantity(pvc.spec.resources?.requests?.storage);
    const capacity = parseQuantity(pvc.status?.capacity?.storage);
    if (!(requested > capacity) || this.busy.has(key)) return;
    // An infeasible request is not retried until the claim asks for another size.
    if (pvc.status?.allocatedResourceStatuses?.storage === "ControllerResizeInfeasible" && parseQuantity(pvc.status?.allocatedResources?.storage) === requested)
      return;
    const ns = pvc.metadata.namespace!;
    const name = pvc.metadata.name;
    if (!sc?.allowVolumeExpansion) {
      // The API server normally refuses this; if it got through, the resizer cannot act on it.
      this.ctx.events.record(
        pvc,
        "Warning",
        "ExternalExpanding",
        `Ignoring the PVC: didn't find a plugin capable of expanding the volume; waiting for an external controller to process this PVC.`,
        { component: "volume_expand" },
      );
      return;
    }
    this.busy.add(key);
    const size = pvc.spec.resources.requests.storage;
    const pvName = pvc.spec.volumeName;
    const resizer = { component: `external-resizer ${sc.provisioner}` };
    const now = () => iso(this.ctx.clock());
    this.ctx.events.record(pvc, "Normal", "Resizing", `External resizer is resizing volume ${pvName}`, resizer);
    this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => {
      d.status.allocatedResources = { storage: size };
      d.status.allocatedResourceStatuses = { storage: "ControllerResizeInProgress" };
      d.status.conditions = [{ type: "Resizing", status: "True", lastProbeTime: null, lastTransitionTime: now() }];
    });
    // Three steps of about 0.6 s at the default speed: controller resize, node resize, done.
    const step = 600 * Math.max(0.05, this.ctx.speed.slow * 20);
    if (sc.metadata.annotations?.[RESIZE_ANNOTATION] === "infeasible") {
      this.ctx.timers.after(step, () => {
        this.busy.delete(key);
        const fresh = this.ctx.store.get("core/persistentvolumeclaims", ns, name);
        if (!fresh) return;
        const message = `resize volume "${pvName}" by resizer "${sc.provisioner}" failed: rpc error: code = OutOfRange desc = requested size ${size} exceeds the maximum volume size allowed by the storage pool`;
        this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => {
          d.status.allocatedResourceStatuses = { storage: "ControllerResizeInfeasible" };
          d.status.conditions = [{ type: "ControllerResizeError", status: "True", lastProbeTime: null, lastTransitionTime: now(), message }];
        });
        this.ctx.events.record(fresh, "Warning", "VolumeResizeFailed", message, resizer);
      });
      return;
    }
    this.ctx.timers.after(step, () => {
      if (pvName) this.ctx.store.mutate("core/persistentvolumes", undefined, pvName, (d) => void (d.spec.capacity = { storage: size }));
      this.ctx.events.record(pvc, "Normal", "FileSystemResizeRequired", "Require file system resize of volume on node", resizer);
      this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => {
        d.status.allocatedResourceStatuses = { storage: "NodeResizePending" };
        d.status.conditions = [
          {
            type: "FileSystemResizePending",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: now(),
            message: "Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
          },
        ];
      });
      this.ctx.timers.after(step, () => {
        // The kubelet picks the node-side resize up (online expansion: the pod keeps running).
        this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => {
          if (d.status.allocatedResourceStatuses) d.status.allocatedResourceStatuses = { storage: "NodeResizeInProgress" };
        });
        this.ctx.timers.after(step, () => this.finishResize(key, ns, name, size, pvName));
      });
    });
  }

  private finishResize(key: string, ns: string, name: string, size: string, pvName: string | undefined): void {
    this.busy.delete(key);
    const fresh = this.ctx.store.get("core/persistentvolumeclaims", ns, name);
    if (!fresh) return;
    const pod = this.ctx.store
      .list("core/pods", ns)
      .find((p) => (p.spec?.volumes ?? []).some((v: IVolume) => v.persistentVolumeClaim?.claimName === name) && p.spec?.nodeName);
    // The files on the volume stay the same size: the used share shrinks with the larger volume.
    const usageKey = `${ns}/${name}`;
    const oldCapacity = parseQuantity(fresh.status?.capacity?.storage);
    const usage = this.ctx.volumeUsage.get(usageKey);
    if (usage !== undefined && oldCapacity > 0) this.ctx.volumeUsage.set(usageKey, (usage * oldCapacity) / parseQuantity(size));
    this.ctx.store.mutate("core/persistentvolumeclaims", ns, name, (d) => {
      d.status.capacity = { storage: size };
      delete d.status.conditions;
      delete d.status.allocatedResourceStatuses;
    });
    this.ctx.events.record(
      fresh,
      "Normal",
      "FileSystemResizeSuccessful",
      `MountVolume.NodeExpandVolume succeeded for volume "${pvName}"${pod ? ` ${pod.spec.nodeName}` : ""}`,
      { component: "kubelet", host: pod?.spec?.nodeName },
    );
    if (pod)
      this.ctx.events.record(
        pod,
        "Normal",
        "FileSystemResizeSuccessful",
        `MountVolume.NodeExpandVolume succeeded for volume "${pvName}" ${pod.spec.nodeName}`,
        {
          component: "kubelet",
          host: pod.spec.nodeName,
        },
      );
    this.queue.add(key);
  }

  private releaseClaim(pvc: KubeObject): void {
    const ns = pvc.metadata.namespace!;
    const inUse = this.ctx.store
      .list("core/pods", ns)
      .some((p) => !isPodTerminal(p) && (p.spec?.volumes ?? []).some((v: IVolume) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
    if (inUse) return;
    const pvName = pvc.spec?.volumeName;
    this.ctx.store.mutate("core/persistentvolumeclaims", ns, pvc.metadata.name, (d) => {
      d.metadata.finalizers = (d.metadata.finalizers ?? []).filter((f: string) => f !== "kubernetes.io/pvc-protection");
    });
    const pv = pvName ? this.ctx.store.get("core/persistentvolumes", undefined, pvName) : undefined;
    if (pv && pv.spec.persistentVolumeReclaimPolicy === "Delete") {
      try {
        this.ctx.store.delete("core/persistentvolumes", undefined, pvName);
      } catch {
        // Gone already.
      }
    }
  }

  private releasePv(name: string): void {
    const pv = this.ctx.store.get("core/persistentvolumes", undefined, name);
    if (!pv) return;
    const claim = pv.spec.claimRef;
    if (claim && this.ctx.store.get("core/persistentvolumeclaims", claim.namespace, claim.name)) return;
    this.ctx.store.mutate("core/persistentvolumes", undefined, name, (d) => void (d.metadata.finalizers = []));
  }
}

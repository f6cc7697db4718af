// A test-only volume provisioner and resizer for the test control plane (kwok has none; it never
// lives in portal code). It plays what a CSI driver's external-provisioner and external-resizer
// (and the kubelet's node expansion) do for the fleet's storage classes:
//   - a Pending claim of one of these classes gets a PersistentVolume made for it (claimRef set,
//     as external-provisioner does); the real PV controller then binds the two;
//   - a bound claim whose request grows goes Resizing (ControllerResizeInProgress), its PV's
//     capacity is raised, then FileSystemResizePending (NodeResizePending), then the claim's
//     status.capacity reaches the request and the conditions go, with the events a resizer and the
//     kubelet record (Resizing, FileSystemResizeRequired, FileSystemResizeSuccessful);
//   - the scenarios' ceph-rbd-capped class (its pool at its size limit) ends every expansion
//     ControllerResizeInfeasible with a ControllerResizeError condition and a VolumeResizeFailed event;
//   - a claim of a class that does not exist (the "PVC Pending" problem) is left alone: the PV
//     controller reports it, as on a real cluster;
//   - a deleted claim's volume (reclaim policy Delete) is deleted.
import { CEPH_CLUSTER_ID, CSI_DRIVER, LOCAL_PATH_PROVISIONER, storageClasses } from "../../sim/fleet/manifests";
import { RESIZE_INFEASIBLE_STORAGE_CLASS } from "../../sim/fleet/scenarios";
import type { KubeApi, KubeObjectLike } from "./kube-api";
import { quantityBytes } from "./kubelet-front";

const PROVISIONERS = new Set([CSI_DRIVER, LOCAL_PATH_PROVISIONER]);

interface StorageClassObject extends KubeObjectLike {
  provisioner: string;
  reclaimPolicy?: string;
  allowVolumeExpansion?: boolean;
  metadata: KubeObjectLike["metadata"] & { annotations?: Record<string, string> };
}

interface ClaimObject extends KubeObjectLike {
  metadata: KubeObjectLike["metadata"] & { namespace: string; uid: string; deletionTimestamp?: string };
  spec: { storageClassName?: string; volumeName?: string; accessModes?: string[]; volumeMode?: string; resources?: { requests?: { storage?: string } } };
  status?: {
    phase?: string;
    capacity?: { storage?: string };
    allocatedResources?: { storage?: string };
    allocatedResourceStatuses?: { storage?: string };
    conditions?: { type: string }[];
  };
}

/** The fleet's classes (sim/fleet/manifests.ts) plus the capped one whose driver refuses every expansion. */
export function fleetStorageClasses(): StorageClassObject[] {
  const classes = storageClasses(new Date().toISOString()) as unknown as StorageClassObject[];
  for (const sc of classes) delete sc.metadata.creationTimestamp;
  const ceph = classes.find((sc) => sc.metadata.name === "ceph-rbd")!;
  const capped = structuredClone(ceph);
  capped.metadata = { name: RESIZE_INFEASIBLE_STORAGE_CLASS };
  capped.parameters = { ...(ceph.parameters as Record<string, string>), pool: "kubernetes-capped" };
  return [...classes, capped];
}

export interface VolumeProvisionerOptions {
  api: KubeApi;
  /** Delay of each resize step (controller, node), in ms (default 300). */
  stepMs?: number;
  log?: (line: string) => void;
}

const claimPath = (namespace: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims/${encodeURIComponent(name)}`;

export class VolumeProvisioner {
  private readonly classes = new Map<string, StorageClassObject>();
  /** Claims with a resize under way (namespace/name -> requested size). */
  private readonly resizing = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopWatches: (() => void)[] = [];
  private stopped = false;
  private readonly stepMs: number;

  constructor(private readonly options: VolumeProvisionerOptions) {
    this.stepMs = options.stepMs ?? 300;
  }

  /** Creates the fleet's StorageClasses and starts watching classes and claims. */
  async start(): Promise<void> {
    for (const sc of fleetStorageClasses()) await this.options.api.create("/apis/storage.k8s.io/v1/storageclasses", sc);
    this.stopWatches.push(
      this.options.api.listWatch<StorageClassObject>("/apis/storage.k8s.io/v1/storageclasses", (type, sc) => {
        if (type === "DELETED") this.classes.delete(sc.metadata.name);
        else this.classes.set(sc.metadata.name, sc);
      }),
    );
    for (const sc of (await this.options.api.get<{ items: StorageClassObject[] }>("/apis/storage.k8s.io/v1/storageclasses")).items) {
      this.classes.set(sc.metadata.name, sc);
    }
    this.stopWatches.push(
      this.options.api.listWatch<ClaimObject>(
        "/api/v1/persistentvolumeclaims",
        (type, claim) =>
          void this.reconcile(type, claim).catch((error) => this.options.log?.(`volume provisioner: ${error instanceof Error ? error.message : error}`)),
        (error) => this.options.log?.(`volume provisioner watch: ${error.message}`),
      ),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.stopWatches) stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        done();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async reconcile(type: "ADDED" | "MODIFIED" | "DELETED", claim: ClaimObject): Promise<void> {
    if (this.stopped) return;
    const sc = claim.spec.storageClassName ? this.classes.get(claim.spec.storageClassName) : undefined;
    if (!sc || !PROVISIONERS.has(sc.provisioner)) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (type === "DELETED") {
      if ((sc.reclaimPolicy ?? "Delete") === "Delete") await this.options.api.delete(`/api/v1/persistentvolumes/${pvName}`);
      return;
    }
    if (claim.metadata.deletionTimestamp) return;
    if (!claim.spec.volumeName && (claim.status?.phase ?? "Pending") === "Pending") {
      await this.provision(claim, sc, pvName);
      return;
    }
    if (claim.status?.phase === "Bound") await this.maybeResize(claim, sc);
  }

  private async provision(claim: ClaimObject, sc: StorageClassObject, pvName: string): Promise<void> {
    const csi = sc.provisioner === CSI_DRIVER;
    const storage = claim.spec.resources?.requests?.storage;
    const volume = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: pvName, annotations: { "pv.kubernetes.io/provisioned-by": sc.provisioner } },
      spec: {
        accessModes: claim.spec.accessModes ?? ["ReadWriteOnce"],
        capacity: { storage },
        claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim.metadata.name, namespace: claim.metadata.namespace, uid: claim.metadata.uid },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec.volumeMode ?? "Filesystem",
        ...(csi
          ? {
              csi: {
                driver: CSI_DRIVER,
                fsType: "ext4",
                volumeHandle: `0001-0024-${CEPH_CLUSTER_ID}-0000000000000002-${claim.metadata.uid}`,
                volumeAttributes: { clusterID: CEPH_CLUSTER_ID, pool: String((sc.parameters as Record<string, string> | undefined)?.pool ?? "kubernetes") },
              },
            }
          : { hostPath: { path: `/opt/local-path-provisioner/${pvName}_${claim.metadata.namespace}_${claim.metadata.name}`, type: "DirectoryOrCreate" } }),
      },
    };
    const created = await this.options.api.create("/api/v1/persistentvolumes", volume);
    if (created.status === 201) {
      const source = csi ? `${CSI_DRIVER}_csi-rbdplugin-provisioner` : "rancher.io/local-path_local-path-provisioner";
      await this.event(claim, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pvName}`, source);
    }
  }

  private async maybeResize(claim: ClaimObject, sc: StorageClassObject): Promise<void> {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    const size = claim.spec.resources?.requests?.storage;
    const requested = quantityBytes(size);
    const capacity = quantityBytes(claim.status?.capacity?.storage);
    if (requested === undefined || capacity === undefined || requested <= capacity || this.resizing.get(key) === size || !size) return;
    // An infeasible request is not retried until the claim asks for another size (external-resizer).
    if (claim.status?.allocatedResourceStatuses?.storage === "ControllerResizeInfeasible" && claim.status.allocatedResources?.storage === size) return;
    if (!sc.allowVolumeExpansion) return;
    this.resizing.set(key, size);
    try {
      await this.resize(claim, sc, size);
    } finally {
      if (this.resizing.get(key) === size) this.resizing.delete(key);
    }
  }

  private async resize(claim: ClaimObject, sc: StorageClassObject, size: string): Promise<void> {
    const { api } = this.options;
    const path = `${claimPath(claim.metadata.namespace, claim.metadata.name)}/status`;
    const pvName = claim.spec.volumeName!;
    const resizer = `external-resizer ${sc.provisioner}`;
    const now = () => new Date().toISOString();
    await this.event(claim, "Normal", "Resizing", `External resizer is resizing volume ${pvName}`, resizer);
    await api.mergePatch(path, {
      status: {
        allocatedResources: { storage: size },
        allocatedResourceStatuses: { storage: "ControllerResizeInProgress" },
        conditions: [{ type: "Resizing", status: "True", lastProbeTime: null, lastTransitionTime: now() }],
      },
    });
    await this.later(this.stepMs);
    if (this.stopped) return;
    if (sc.metadata.name === RESIZE_INFEASIBLE_STORAGE_CLASS) {
      const message = `resize volume "${pvName}" by resizer "${sc.provisioner}" failed: rpc error: code = OutOfRange desc = requested size ${size} exceeds the maximum volume size allowed by the storage pool`;
      await api.mergePatch(path, {
        status: {
          allocatedResourceStatuses: { storage: "ControllerResizeInfeasible" },
          conditions: [{ type: "ControllerResizeError", status: "True", lastProbeTime: null, lastTransitionTime: now(), message }],
        },
      });
      await this.event(claim, "Warning", "VolumeResizeFailed", message, resizer);
      return;
    }
    await api.mergePatch(`/api/v1/persistentvolumes/${pvName}`, { spec: { capacity: { storage: size } } });
    await this.event(claim, "Normal", "FileSystemResizeRequired", "Require file system resize of volume on node", resizer);
    await api.mergePatch(path, {
      status: {
        allocatedResourceStatuses: { storage: "NodeResizePending" },
        conditions: [
          {
            type: "FileSystemResizePending",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: now(),
            message: "Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
          },
        ],
      },
    });
    await this.later(this.stepMs);
    if (this.stopped) return;
    // The kubelet's online expansion: the pod keeps running.
    await api.mergePatch(path, { status: { allocatedResourceStatuses: { storage: "NodeResizeInProgress" } } });
    await this.later(this.stepMs);
    if (this.stopped) return;
    await api.mergePatch(path, { status: { capacity: { storage: size }, conditions: null, allocatedResourceStatuses: null } });
    await this.event(claim, "Normal", "FileSystemResizeSuccessful", `MountVolume.NodeExpandVolume succeeded for volume "${pvName}"`, "kubelet");
  }

  private async event(claim: ClaimObject, type: "Normal" | "Warning", reason: string, message: string, component: string): Promise<void> {
    const now = new Date().toISOString();
    await this.options.api.create(`/api/v1/namespaces/${encodeURIComponent(claim.metadata.namespace)}/events`, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: `${claim.metadata.name}.`, namespace: claim.metadata.namespace },
      involvedObject: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
        uid: claim.metadata.uid,
      },
      type,
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
}

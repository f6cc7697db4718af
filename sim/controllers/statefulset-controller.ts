// StatefulSet controller (simplified): ordered pods <name>-<ordinal> with their claims from
// volumeClaimTemplates, scale up one at a time once the previous pod is ready.
import type { StoreEvent } from "../store/types";
import { controllerOf, isOwnedBy, isPodReady, ownerRef, templateHash } from "./kube-util";
import { splitKey } from "./work-queue";
import { podFor } from "./workloads";
import { QueuedController } from "./queued-controller";

export class StatefulSetController extends QueuedController {
  private writing = false;

  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "apps/statefulsets" && ev.type !== "DELETED" && !this.writing)
      this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    else if (ev.resource === "core/pods") {
      const owner = controllerOf(ev.object);
      if (owner?.kind === "StatefulSet") this.queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
    }
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const sts = this.ctx.store.get("apps/statefulsets", ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const replicas = sts.spec.replicas ?? 1;
    const revision = `${name}-${templateHash(sts.spec.template).slice(0, 10)}`;
    const pods = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, sts));
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      const existing = pods.find((p) => p.metadata.name === podName);
      if (existing) {
        if (!isPodReady(existing)) break; // OrderedReady: wait for this one first
        continue;
      }
      for (const vct of sts.spec.volumeClaimTemplates ?? []) {
        const claim = `${vct.metadata.name}-${podName}`;
        if (this.ctx.store.get("core/persistentvolumeclaims", ns, claim)) continue;
        this.ctx.store.create("core/persistentvolumeclaims", {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: claim, namespace: ns, labels: { ...(sts.spec.selector?.matchLabels ?? {}) }, finalizers: ["kubernetes.io/pvc-protection"] },
          spec: structuredClone(vct.spec),
          status: { phase: "Pending" },
        });
        this.ctx.events.record(sts, "Normal", "SuccessfulCreate", `create Claim ${claim} Pod ${podName} in StatefulSet ${name} success`, {
          component: "statefulset-controller",
        });
      }
      const template = structuredClone(sts.spec.template);
      template.spec.volumes = [
        ...(template.spec.volumes ?? []),
        ...(sts.spec.volumeClaimTemplates ?? []).map((v: { metadata: { name: string } }) => ({
          name: v.metadata.name,
          persistentVolumeClaim: { claimName: `${v.metadata.name}-${podName}` },
        })),
      ];
      const pod = podFor(sts, template, podName, {
        hostname: podName,
        labels: { "apps.kubernetes.io/pod-index": String(i), "controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": podName },
      });
      pod.metadata.ownerReferences = [ownerRef(sts)];
      this.ctx.store.create("core/pods", pod);
      this.ctx.events.record(sts, "Normal", "SuccessfulCreate", `create Pod ${podName} in StatefulSet ${name} successful`, {
        component: "statefulset-controller",
      });
      break;
    }
    for (const pod of pods) {
      const ordinal = Number(pod.metadata.name.slice(name.length + 1));
      if (ordinal >= replicas && !pod.metadata.deletionTimestamp) {
        this.ctx.store.delete("core/pods", ns, pod.metadata.name);
        this.ctx.events.record(sts, "Normal", "SuccessfulDelete", `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`, {
          component: "statefulset-controller",
        });
      }
    }
    const current = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, sts) && !p.metadata.deletionTimestamp);
    const ready = current.filter(isPodReady).length;
    this.writing = true;
    try {
      this.ctx.store.mutate("apps/statefulsets", ns, name, (d) => {
        d.status = {
          observedGeneration: d.metadata.generation ?? 1,
          replicas: current.length,
          readyReplicas: ready,
          availableReplicas: ready,
          currentReplicas: current.length,
          updatedReplicas: current.length,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
        };
        if (!ready) {
          delete d.status.readyReplicas;
        }
      });
    } finally {
      this.writing = false;
    }
  }
}

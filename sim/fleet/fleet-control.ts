// /_sim/tenants/<db or instance id>/<action> and /_sim/nodes/<name>/<down|up>: what tests and
// demos use to change a tenant's condition on the live cluster.
import type { IContainer } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import type { SimContext } from "../controllers/context";
import type { CronJobController } from "../controllers/cronjob-controller";
import type { Kubelet } from "../controllers/kubelet";
import type { NodeLifecycle } from "../controllers/node-lifecycle";
import { OdooLogGenerator } from "../logs/odoo-log-generator";
import { odooImageOf, tenantNamespace } from "./manifests";
import { BAD_IMAGE_TAG_SUFFIX } from "./scenarios";
import { UNSCHEDULABLE_RESOURCES, type RegistryRecord, type TenantPlan } from "./tenant-plan";

export interface ControlResult {
  status: number;
  body: unknown;
}

const status = (code: number, reason: string, message: string): ControlResult => ({
  status: code,
  body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason, message, code },
});

const RESOURCES_BY_TYPE: Record<string, { requests: Record<string, string>; limits: Record<string, string> }> = {
  development: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  staging: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  production: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
};

export class FleetControl {
  private readonly logGen: OdooLogGenerator;

  constructor(
    private readonly ctx: SimContext,
    private readonly tenants: TenantPlan[],
    private readonly registry: Map<string, RegistryRecord>,
    private readonly kubelet: Kubelet,
    private readonly nodes: NodeLifecycle,
    private readonly cron: CronJobController,
    seed: string | number,
  ) {
    this.logGen = new OdooLogGenerator(seed);
  }

  async handle(action: string, body: unknown): Promise<ControlResult> {
    const parts = action
      .replace(/^\/?(_sim\/)?/, "")
      .split("/")
      .filter(Boolean)
      .map(decodeURIComponent);
    const args = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    if (parts[0] === "nodes" && parts.length === 3) {
      const ok = parts[2] === "down" ? this.nodes.down(parts[1]) : parts[2] === "up" ? this.nodes.up(parts[1]) : undefined;
      if (ok === undefined) return status(400, "BadRequest", `unknown node action "${parts[2]}" (down, up)`);
      if (!ok) return status(404, "NotFound", `nodes "${parts[1]}" not found`);
      return { status: 200, body: { node: parts[1], action: parts[2] } };
    }
    if (parts[0] !== "tenants" || parts.length !== 3) return status(404, "NotFound", `unknown control path "${action}"`);
    const tenant = this.tenants.find(
      (t) => t.databaseName === parts[1] || t.instanceId === parts[1] || t.instanceName === parts[1] || tenantNamespace(t.databaseName) === parts[1],
    );
    if (!tenant) return status(404, "NotFound", `tenant "${parts[1]}" not found`);
    const ns = tenantNamespace(tenant.databaseName);
    const result = (extra: Record<string, unknown> = {}): ControlResult => ({
      status: 200,
      body: { tenant: tenant.databaseName, namespace: ns, instanceId: tenant.instanceId, action: parts[2], ...extra },
    });
    const setReplicas = (n: number) => this.ctx.store.mutate("apps/deployments", ns, tenant.instanceName, (d) => void (d.spec.replicas = n));

    switch (parts[2]) {
      case "crash":
        this.ctx.behaviour.set(ns, "crash");
        return result({ containers: this.kubelet.kick(ns, "crash") });
      case "oom":
        this.ctx.behaviour.set(ns, "oom");
        return result({ containers: this.kubelet.kick(ns, "oom") });
      case "heal":
        return result(this.heal(tenant, ns));
      case "bad-image":
        this.ctx.store.mutate("apps/deployments", ns, tenant.instanceName, (d) => {
          d.spec.template.spec.containers[0].image = `odoo:${tenant.odooVersion}${BAD_IMAGE_TAG_SUFFIX}`;
        });
        return result({ image: `odoo:${tenant.odooVersion}${BAD_IMAGE_TAG_SUFFIX}` });
      case "fill-volume": {
        const percent = Number(args.percent ?? 95);
        if (!Number.isFinite(percent) || percent < 0 || percent > 100) return status(400, "BadRequest", "percent must be a number between 0 and 100");
        this.ctx.volumeUsage.set(`${ns}/odoo-filestore`, percent / 100);
        return result({ percent });
      }
      case "stop":
        setReplicas(0);
        return result({ replicas: 0 });
      case "start":
        setReplicas(1);
        return result({ replicas: 1 });
      case "suspend":
        this.setBilling(tenant, ns, "suspended");
        this.ctx.store.mutate("apps/deployments", ns, tenant.instanceName, (d) => {
          d.spec.replicas = 0;
          d.metadata.annotations = {
            ...(d.metadata.annotations ?? {}),
            "saasodoo.io/suspended-at": new Date(this.ctx.clock()).toISOString().replace(/\.\d{3}Z$/, "Z"),
            "saasodoo.io/suspension-reason": String(args.reason ?? "billing: suspended by operator"),
          };
        });
        return result({ billingStatus: "suspended" });
      case "resume":
        this.setBilling(tenant, ns, "active");
        this.ctx.store.mutate("apps/deployments", ns, tenant.instanceName, (d) => {
          d.spec.replicas = 1;
          delete d.metadata.annotations?.["saasodoo.io/suspended-at"];
          delete d.metadata.annotations?.["saasodoo.io/suspension-reason"];
        });
        return result({ billingStatus: "active" });
      case "log-burst": {
        const rate = Math.min(5000, Math.max(1, Number(args.linesPerSecond ?? 50)));
        const seconds = Math.min(600, Math.max(0.1, Number(args.seconds ?? 5)));
        return result({ linesPerSecond: rate, seconds, pods: this.logBurst(tenant, ns, rate, seconds) });
      }
      case "backup": {
        const cj = this.ctx.store.get("batch/cronjobs", ns, "odoo-backup");
        const job = cj ? this.cron.fire(cj) : undefined;
        return job ? result({ job: job.metadata.name }) : status(409, "Conflict", "a backup job is already running");
      }
      default:
        return status(400, "BadRequest", `unknown tenant action "${parts[2]}"`);
    }
  }

  private setBilling(tenant: TenantPlan, ns: string, billing: "active" | "suspended"): void {
    tenant.billingStatus = billing;
    const record = this.registry.get(tenant.instanceId);
    if (record) record.billing_status = billing;
    this.ctx.store.mutate("core/namespaces", undefined, ns, (d) => {
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), "saasodoo.io/billing-status": billing };
    });
  }

  /** Undoes whatever is wrong with the tenant's workload, the way an operator would fix it. */
  private heal(tenant: TenantPlan, ns: string): Record<string, unknown> {
    const fixes: string[] = [];
    if (this.ctx.behaviour.get(ns) && this.ctx.behaviour.get(ns) !== "healthy") fixes.push(`container:${this.ctx.behaviour.get(ns)}`);
    this.ctx.behaviour.set(ns, "healthy");
    this.kubelet.kick(ns, "heal");
    const d = this.ctx.store.get("apps/deployments", ns, tenant.instanceName);
    const container = d?.spec?.template?.spec?.containers?.[0];
    const goodImage = odooImageOf({ ...tenant, problem: undefined });
    const normal = RESOURCES_BY_TYPE[tenant.instanceType];
    const needsImage = container && container.image !== goodImage;
    const needsResources = container && container.resources?.requests?.memory === UNSCHEDULABLE_RESOURCES.requests.memory;
    if (needsImage || needsResources) {
      this.ctx.store.mutate("apps/deployments", ns, tenant.instanceName, (draft) => {
        const c = draft.spec.template.spec.containers[0];
        if (needsImage) c.image = goodImage;
        if (needsResources) c.resources = structuredClone(normal);
      });
      if (needsImage) fixes.push("image");
      if (needsResources) fixes.push("resources");
    }
    const pvc = this.ctx.store.get("core/persistentvolumeclaims", ns, "odoo-filestore");
    if (pvc && pvc.status?.phase !== "Bound" && !this.ctx.store.get("storage.k8s.io/storageclasses", undefined, pvc.spec.storageClassName)) {
      this.recreateClaim(pvc);
      fixes.push("storage-class");
    }
    return { fixed: fixes };
  }

  private recreateClaim(pvc: KubeObject): void {
    const ns = pvc.metadata.namespace!;
    this.ctx.store.mutate("core/persistentvolumeclaims", ns, pvc.metadata.name, (d) => void (d.metadata.finalizers = []));
    try {
      this.ctx.store.delete("core/persistentvolumeclaims", ns, pvc.metadata.name);
    } catch {
      // Already removed when its finalizers went.
    }
    this.ctx.store.create("core/persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: pvc.metadata.name, namespace: ns, labels: { ...(pvc.metadata.labels ?? {}) }, finalizers: ["kubernetes.io/pvc-protection"] },
      spec: { ...structuredClone(pvc.spec), storageClassName: "ceph-rbd" },
      status: { phase: "Pending" },
    });
  }

  private logBurst(tenant: TenantPlan, ns: string, rate: number, seconds: number): number {
    const pods = this.ctx.store
      .list("core/pods", ns)
      .filter((p) => p.status?.phase === "Running" && (p.spec?.containers ?? []).some((c: IContainer) => c.name === "odoo"));
    const tickMs = 100;
    const perTick = rate / (1000 / tickMs);
    const end = this.ctx.clock() + seconds * 1000;
    let carry = 0;
    const tick = () => {
      const now = this.ctx.clock();
      carry += perTick;
      const count = Math.floor(carry);
      carry -= count;
      for (const pod of pods) {
        for (let i = 0; i < count; i++) {
          for (const text of this.logGen.traffic(tenant.databaseName, now + i)) this.ctx.logs.append(ns, pod.metadata.name, "odoo", text, new Date(now));
        }
      }
      if (now + tickMs <= end) this.ctx.timers.after(tickMs, tick);
    };
    tick();
    return pods.length;
  }
}

import { describe, expect, it } from "vitest";

import type { RawObject } from "@/server/kube/watch-stream";
import { clusterBasics, NOW, podStates, tenantFixture, warmStore, type Raw, type TenantFixtureOptions } from "@/scripts/test-support/cluster-fixtures";
import { RUNBOOKS } from "./index";
import type { RunbookContext, SentPlan } from "./runbook";

// Each runbook's preconditions, plan and verification over a fixture cache (no API server).

function setup(options: TenantFixtureOptions = {}, edit?: (objects: { resource: string; raw: Raw }[]) => void) {
  const fixture = tenantFixture("acme", options);
  const objects = [...clusterBasics(), ...fixture.objects] as { resource: string; raw: Raw }[];
  edit?.(objects);
  const cluster = warmStore(objects as never);
  const context: RunbookContext = {
    tenant: fixture.record,
    namespace: "tenant-acme",
    cluster,
    now: NOW,
    settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
  };
  return { context, fixture, objects, cluster };
}

function deploymentOf(objects: { resource: string; raw: Raw }[]): Raw {
  return objects.find((o) => o.resource === "deployments")!.raw;
}

function sent<Input>(
  input: Input,
  context: RunbookContext,
  mutationsFrom: (input: Input) => SentPlan<Input>["mutations"],
  after?: RawObject,
  sentAt = new Date(NOW.getTime() - 60_000),
): SentPlan<Input> {
  const mutations = mutationsFrom(input);
  return {
    input,
    mutations,
    outcomes: after
      ? [
          {
            request: { method: "PATCH", path: "/", body: {} },
            target: { apiVersion: "", kind: "", namespace: "", name: "" },
            after,
            removes: false,
            status: 200,
          },
        ]
      : [],
    sentAt,
  };
}

describe("restart the instance", () => {
  const restart = RUNBOOKS["restart-instance"];

  it("plans kubectl's restartedAt annotation, stamped with the plan's time", () => {
    const { context } = setup();
    expect(restart.preconditions({}, context).every((p) => p.ok)).toBe(true);
    expect(restart.plan({}, context)).toEqual([
      { type: "restart-deployment", namespace: "tenant-acme", name: context.tenant.name, restartedAt: NOW.toISOString() },
    ]);
  });

  it("is refused on a paused Deployment with kubectl's reason, and on a stopped one", () => {
    const paused = setup({}, (objects) => (deploymentOf(objects).spec.paused = true));
    expect(restart.preconditions({}, paused.context).find((p) => !p.ok)?.reason).toMatch(/can't restart paused deployment \(run rollout resume first\)/);
    const stopped = setup({ replicas: 0 });
    expect(restart.preconditions({}, stopped.context).find((p) => !p.ok)?.reason).toMatch(/stopped \(0 replicas\)/);
  });

  it("waits while the controller has not seen the new generation, succeeds once only new pods are ready", () => {
    const { context } = setup();
    const waiting = restart.verify(
      sent({}, context, () => restart.plan({}, context), { metadata: { generation: 2 } }),
      context,
    );
    expect(waiting).toEqual({ done: false, progress: "Waiting for the Deployment controller to see the restart." });
    // Generation 1 observed and the pod created before the restart was sent: the old pod is left.
    const old = restart.verify(
      sent({}, context, () => restart.plan({}, context), { metadata: { generation: 1 } }),
      context,
    );
    expect(old).toMatchObject({ done: false, progress: expect.stringMatching(/1 old pod left/) });
    const fresh = restart.verify(
      sent({}, context, () => restart.plan({}, context), { metadata: { generation: 1 } }, new Date("2020-01-01T00:00:00Z")),
      context,
    );
    expect(fresh).toEqual({ done: true, ok: true, message: "Restarted: 1 new pod ready, no old pod left." });
  });

  it("fails, with the reason, when a new pod crash-loops", () => {
    const { context } = setup({ pod: podStates.crashLoop(4) });
    const result = restart.verify(
      sent({}, context, () => restart.plan({}, context), { metadata: { generation: 1 } }, new Date("2020-01-01T00:00:00Z")),
      context,
    );
    expect(result).toMatchObject({ done: true, ok: false, message: expect.stringMatching(/does not come up\. Pod .+ is CrashLoopBackOff/) });
  });
});

describe("stop and start", () => {
  const stop = RUNBOOKS["stop-instance"];
  const start = RUNBOOKS["start-instance"];

  it("stopping remembers the replicas, then scales to 0; high risk only for production", () => {
    const { context } = setup({ replicas: 2 });
    expect(stop.plan({}, context)).toEqual([
      { type: "annotate-deployment", namespace: "tenant-acme", name: context.tenant.name, annotations: { "fleetdeck.io/replicas-before-stop": "2" } },
      { type: "scale-deployment", namespace: "tenant-acme", name: context.tenant.name, replicas: 0 },
    ]);
    expect(stop.risk({}, context)).toBe("high");
    expect(stop.risk({}, { ...context, tenant: { ...context.tenant, instanceType: "staging" } })).toBe("low");
    expect(
      stop.inverse?.(
        sent({}, context, () => []),
        context,
      ),
    ).toEqual({ runbookId: "start-instance", input: {} });
  });

  it("starting brings back the remembered count (1 without one) and clears it; refused while running", () => {
    const remembered = setup({ replicas: 0 }, (objects) => (deploymentOf(objects).metadata.annotations["fleetdeck.io/replicas-before-stop"] = "3"));
    expect(start.preconditions({}, remembered.context).every((p) => p.ok)).toBe(true);
    expect(start.plan({}, remembered.context)).toEqual([
      { type: "scale-deployment", namespace: "tenant-acme", name: remembered.context.tenant.name, replicas: 3 },
      {
        type: "annotate-deployment",
        namespace: "tenant-acme",
        name: remembered.context.tenant.name,
        annotations: { "fleetdeck.io/replicas-before-stop": null },
      },
    ]);
    expect(start.plan({}, setup({ replicas: 0 }).context)[0]).toMatchObject({ replicas: 1 });
    expect(start.preconditions({}, setup().context).find((p) => !p.ok)?.reason).toBe("The instance is already running (1 replica).");
  });

  it("a start that quota refuses fails with the controller's message", () => {
    const { context } = setup({ replicas: 1, pod: null }, (objects) => {
      deploymentOf(objects).status.conditions.push({
        type: "ReplicaFailure",
        status: "True",
        reason: "FailedCreate",
        message: 'pods "odoo-x" is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=1, limited: pods=1',
      });
    });
    expect(
      start.verify(
        sent({}, context, () => []),
        context,
      ),
    ).toMatchObject({ done: true, ok: false, message: expect.stringMatching(/exceeded quota: tenant-quota/) });
  });

  it("a stop is verified when no pod is left", () => {
    const { context } = setup({ replicas: 0, pod: null });
    expect(
      stop.verify(
        sent({}, context, () => []),
        context,
      ),
    ).toEqual({ done: true, ok: true, message: "Stopped: no pod of the instance is left." });
    const running = setup();
    expect(
      stop.verify(
        sent({}, running.context, () => []),
        running.context,
      ),
    ).toMatchObject({ done: false });
  });
});

describe("remove a stuck pod", () => {
  const remove = RUNBOOKS["remove-stuck-pod"];

  it("evicts by default (low risk), force-deletes for admins (high risk, runbook:force)", () => {
    const { context } = setup();
    const pod = remove.targets!(context)[0];
    expect(remove.plan({ pod, force: false }, context)).toEqual([{ type: "evict-pod", namespace: "tenant-acme", name: pod, uid: "" }]);
    expect(remove.plan({ pod, force: true, reason: "stuck for an hour" }, context)[0].type).toBe("force-delete-pod");
    expect([remove.permission({ pod, force: false }), remove.permission({ pod, force: true })]).toEqual(["runbook:run", "runbook:force"]);
    expect([remove.risk({ pod, force: false }, context), remove.risk({ pod, force: true }, context)]).toEqual(["low", "high"]);
  });

  it("says an already-terminating pod needs a force delete, and refuses an unknown pod", () => {
    const { context } = setup({ pod: podStates.terminating() });
    const pod = remove.targets!(context)[0];
    expect(remove.preconditions({ pod, force: false }, context).find((p) => !p.ok)?.reason).toMatch(/only a force delete \(admins\) removes it/);
    expect(remove.preconditions({ pod, force: true, reason: "stuck" }, context).every((p) => p.ok)).toBe(true);
    expect(remove.preconditions({ pod: "nope", force: false }, context).find((p) => !p.ok)?.id).toBe("pod-exists");
  });

  it("is verified once the pod is gone and a replacement is ready", () => {
    const { context } = setup();
    const pod = remove.targets!(context)[0];
    expect(
      remove.verify(
        sent({ pod, force: false }, context, () => []),
        context,
      ),
    ).toMatchObject({ done: false });
    expect(
      remove.verify(
        sent({ pod: "gone-already", force: false }, context, () => []),
        context,
      ),
    ).toMatchObject({ done: true, ok: true });
  });
});

describe("expand a volume", () => {
  const expand = RUNBOOKS["expand-volume"];

  it("grows a Bound claim on an expandable class, under the maximum", () => {
    const { context } = setup();
    expect(expand.preconditions({ volume: "odoo-filestore", size: "40Gi" }, context).every((p) => p.ok)).toBe(true);
    expect(expand.plan({ volume: "odoo-filestore", size: "40Gi" }, context)).toEqual([
      { type: "expand-volume", namespace: "tenant-acme", name: "odoo-filestore", storage: "40Gi" },
    ]);
  });

  it.each([
    ["10Gi", {}, "larger"],
    ["300Gi", {}, "under-maximum"],
    ["40Gi", { storageClass: "local-path" }, "expandable"],
    ["40Gi", { pvcPending: true }, "bound"],
  ] as const)("refuses %s (%o): %s", (size, options, failing) => {
    const { context } = setup(options as TenantFixtureOptions);
    expect(
      expand
        .preconditions({ volume: "odoo-filestore", size }, context)
        .filter((p) => !p.ok)
        .map((p) => p.id),
    ).toContain(failing);
  });

  it("reports a failed resize with the controller's message, and succeeds when the capacity arrived", () => {
    const failing = setup({}, (objects) => {
      const pvc = objects.find((o) => o.resource === "persistentvolumeclaims")!.raw;
      pvc.status.conditions = [{ type: "ControllerResizeError", status: "True", message: "resize volume failed: quota exceeded on the backend" }];
    });
    expect(
      expand.verify(
        sent({ volume: "odoo-filestore", size: "40Gi" }, failing.context, () => []),
        failing.context,
      ),
    ).toEqual({
      done: true,
      ok: false,
      message: "The resize failed (ControllerResizeError): resize volume failed: quota exceeded on the backend",
    });
    const { context } = setup();
    expect(
      expand.verify(
        sent({ volume: "odoo-filestore", size: "40Gi" }, context, () => []),
        context,
      ),
    ).toMatchObject({ done: false, progress: "Capacity 20Gi of 40Gi." });
    expect(
      expand.verify(
        sent({ volume: "odoo-filestore", size: "20Gi" }, context, () => []),
        context,
      ),
    ).toMatchObject({ done: true, ok: true });
  });
});

describe("back up now", () => {
  const backup = RUNBOOKS["back-up-now"];

  it("plans a Job from the backup CronJob named for the moment", () => {
    const { context } = setup();
    expect(backup.plan({}, context)).toEqual([
      {
        type: "create-job-from-cronjob",
        namespace: "tenant-acme",
        cronJobName: "odoo-backup",
        jobName: `odoo-backup-manual-${NOW.toISOString().replace(/[-:T]/g, "").slice(0, 14)}`,
      },
    ]);
  });

  it("follows the Job to Complete or Failed", () => {
    const jobName = `odoo-backup-manual-${NOW.toISOString().replace(/[-:T]/g, "").slice(0, 14)}`;
    const withJob = (conditions: Raw[]) =>
      setup({}, (objects) =>
        objects.push({
          resource: "jobs",
          raw: {
            metadata: {
              name: jobName,
              namespace: "tenant-acme",
              resourceVersion: "9",
              labels: { "saasodoo.instance.id": objects.find((o) => o.resource === "deployments")!.raw.metadata.labels["saasodoo.instance.id"] },
            },
            status: { active: 0, conditions },
          },
        }),
      );
    const complete = withJob([{ type: "Complete", status: "True" }]);
    expect(
      backup.verify(
        sent({}, complete.context, () => backup.plan({}, complete.context)),
        complete.context,
      ),
    ).toEqual({ done: true, ok: true, message: `Backup Job ${jobName} completed.` });
    const failed = withJob([{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }]);
    expect(
      backup.verify(
        sent({}, failed.context, () => backup.plan({}, failed.context)),
        failed.context,
      ),
    ).toEqual({
      done: true,
      ok: false,
      message: "The backup failed: Job has reached the specified backoff limit",
    });
  });
});

describe("verify the instance", () => {
  const verify = RUNBOOKS["verify-instance"];
  const check = (context: RunbookContext) =>
    verify.verify(
      sent({}, context, () => []),
      context,
    );

  it("changes nothing and passes a running instance with an ingress host and a Service", () => {
    const { context } = setup();
    expect(verify.checkOnly).toBe(true);
    expect(verify.plan({}, context)).toEqual([]);
    expect(verify.preconditions({}, context).every((p) => p.ok)).toBe(true);
    expect(check(context)).toMatchObject({ done: true, ok: true });
  });

  it("fails a stopped instance, one without an ingress host, and one that crash-loops; waits while pods start", () => {
    expect(check(setup({ replicas: 0, pod: null }).context)).toMatchObject({ done: true, ok: false, message: expect.stringContaining("stopped") });
    const noIngress = setup({}, (objects) =>
      objects.splice(
        objects.findIndex((o) => o.resource === "ingresses"),
        1,
      ),
    ).context;
    expect(check(noIngress)).toMatchObject({ done: true, ok: false, message: expect.stringContaining("ingress") });
    expect(check(setup({ pod: podStates.crashLoop(5) }).context)).toMatchObject({ done: true, ok: false });
    expect(check(setup({ pod: podStates.containerCreating() }).context)).toMatchObject({ done: false });
  });

  it("asks Odoo's health endpoint through the service proxy, and fails with the API's answer", async () => {
    const { context } = setup();
    const paths: string[] = [];
    const answering = { getObject: async (path: string) => (paths.push(path), { status: "pass" }) };
    const ok = await verify.probe!(
      sent({}, context, () => []),
      { ...context, source: answering as never, signal: new AbortController().signal },
    );
    expect(ok).toMatchObject({ done: true, ok: true });
    expect(paths[0]).toMatch(/^\/api\/v1\/namespaces\/tenant-acme\/services\/[^/]+\/proxy\/web\/health$/);
    const refusing = {
      getObject: async () => {
        throw Object.assign(new Error('no endpoints available for service "x"'), { statusCode: 503 });
      },
    };
    const failed = await verify.probe!(
      sent({}, context, () => []),
      { ...context, source: refusing as never, signal: new AbortController().signal },
    );
    expect(failed).toMatchObject({ done: true, ok: false, message: expect.stringContaining("does not answer") });
  });
});

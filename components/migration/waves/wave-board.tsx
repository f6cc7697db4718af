"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "@/components/ui/toast";

import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { TENANT_MIGRATION_STATE_LABELS, TENANT_MIGRATION_STATES, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import { WAVE_ATTESTED_STEPS, WAVE_STEP_LABELS, type WaveAction, type WaveBoardView, type WaveTenantView } from "@/lib/migration/waves";

import { WaveProgress, WaveRunBadge, WaveStateBadge } from "./wave-badges";

/** The board's columns, in the order a tenant moves through them. */
const COLUMNS = TENANT_MIGRATION_STATES;
const CARDS_PER_COLUMN = 60;

const HEALTH_TONE: Record<string, "success" | "warning" | "danger" | "neutral"> = {
  healthy: "success",
  degraded: "warning",
  down: "danger",
  missing: "danger",
};

function TenantCard({ tenant, canRun, waveId }: { tenant: WaveTenantView; canRun: boolean; waveId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rollingBack, setRollingBack] = useState(false);
  const [reason, setReason] = useState("");
  const rollback = useMutation(
    trpc.migration.waves.rollback.mutationOptions({
      onSuccess: () => {
        toast.success(`Rolling back ${tenant.name}`);
        setRollingBack(false);
        void queryClient.invalidateQueries(trpc.migration.waves.pathFilter());
      },
    }),
  );
  const canRollBack = canRun && !["on-swarm", "scheduled", "rolled-back", "done", "native"].includes(tenant.state);
  return (
    <li
      className="rounded-md border border-slate-200 bg-white p-2 text-xs shadow-xs"
      data-testid="wave-tenant"
      data-tenant-id={tenant.tenantId}
      data-state={tenant.state}
    >
      <div className="flex items-start justify-between gap-1">
        <Link href={`/tenants/${tenant.tenantId}`} className="min-w-0 truncate font-medium text-blue-700 hover:underline" title={tenant.name}>
          {tenant.databaseName || tenant.name}
        </Link>
        <span className="shrink-0 text-slate-500">batch {tenant.batch + 1}</span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-1">
        {tenant.state !== "on-swarm" && tenant.state !== "scheduled" ? <Badge tone={HEALTH_TONE[tenant.health] ?? "neutral"}>{tenant.health}</Badge> : null}
        {tenant.run ? (
          tenant.run.runId ? (
            <Link
              href={`/runs/${tenant.run.runId}`}
              className="inline-flex items-center gap-1 hover:underline"
              aria-label={`${WAVE_STEP_LABELS[tenant.run.step]} run of ${tenant.name}`}
            >
              <WaveRunBadge run={tenant.run} />
            </Link>
          ) : (
            <WaveRunBadge run={tenant.run} />
          )
        ) : null}
      </div>
      {tenant.run?.message && tenant.run.state !== "succeeded" ? <p className="mt-1 line-clamp-3 text-red-800">{tenant.run.message}</p> : null}
      {canRollBack ? (
        rollingBack ? (
          <form
            className="mt-2 space-y-1"
            onSubmit={(event) => {
              event.preventDefault();
              rollback.mutate({ waveId, tenantId: tenant.tenantId, reason });
            }}
          >
            <Input
              aria-label={`Why roll back ${tenant.name}`}
              placeholder="Why (at least 5 characters)"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              className="text-xs"
            />
            {rollback.error ? <p className="text-red-800">{userMessageOf(rollback.error)}</p> : null}
            <div className="flex gap-1">
              <Button type="submit" size="sm" variant="danger" pending={rollback.isPending}>
                Roll back
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setRollingBack(false)}>
                Keep
              </Button>
            </div>
          </form>
        ) : (
          <Button size="sm" variant="ghost" className="mt-1" onClick={() => setRollingBack(true)} aria-label={`Roll back ${tenant.name}`}>
            Roll back…
          </Button>
        )
      ) : null}
    </li>
  );
}

function StepActions({ wave, canRun, canEdit }: { wave: WaveBoardView; canRun: boolean; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<WaveAction | undefined>();
  const [attestTo, setAttestTo] = useState<(typeof WAVE_ATTESTED_STEPS)[number]>("backed-up");
  const [evidence, setEvidence] = useState("");
  const refresh = () => void queryClient.invalidateQueries(trpc.migration.waves.pathFilter());
  const act = useMutation(
    trpc.migration.waves.act.mutationOptions({
      onSuccess: (_data, variables) => {
        setConfirming(undefined);
        toast.success(ACTION_DONE[variables.action]);
        refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.migration.waves.cancel.mutationOptions({ onSuccess: () => (setConfirming(undefined), refresh()) }));
  const attest = useMutation(
    trpc.migration.waves.attest.mutationOptions({
      onSuccess: (result, variables) => {
        toast.success(`${TENANT_MIGRATION_STATE_LABELS[variables.to]} recorded for ${result.moved.length} tenant${result.moved.length === 1 ? "" : "s"}`, {
          description: result.refused.length > 0 ? `${result.refused.length} not ready for it.` : undefined,
        });
        setEvidence("");
        // The next step is the likely next record, unless the person already chose another meanwhile.
        const next = WAVE_ATTESTED_STEPS[WAVE_ATTESTED_STEPS.indexOf(variables.to) + 1];
        if (next) setAttestTo((chosen) => (chosen === variables.to ? next : chosen));
        refresh();
      },
    }),
  );
  const count = (state: TenantMigrationStateOrNative) => wave.tenants.filter((t) => t.state === state).length;
  const failed = wave.tenants.filter((t) => t.run && (t.run.state === "failed" || t.run.state === "interrupted")).length;
  const open = wave.state !== "completed" && wave.state !== "cancelled";
  const idle = wave.state === "draft" || wave.state === "waiting";
  const steps: { action: WaveAction; label: string; question: string; enabled: boolean }[] = [
    {
      action: "start",
      label: "Start on Kubernetes",
      question: `Start ${count("data-restored")} tenants on Kubernetes, ${wave.concurrency} at a time, batch by batch?`,
      enabled: idle && count("data-restored") > 0,
    },
    {
      action: "verify",
      label: "Verify",
      question: `Verify ${count("started-on-kubernetes")} tenants (Deployment, pods, Odoo's health endpoint, ingress)?`,
      enabled: idle && count("started-on-kubernetes") > 0,
    },
    {
      action: "retry-failed",
      label: `Retry failed (${failed})`,
      question: `Run the failed step again for ${failed} tenants?`,
      enabled: (wave.state === "waiting" || wave.state === "paused") && failed > 0,
    },
    {
      action: "pause",
      label: "Pause",
      question: "Pause the wave? Runs in flight finish; no new run starts.",
      enabled: wave.state === "running" || wave.state === "waiting",
    },
    { action: "resume", label: "Resume", question: "Resume the wave? Failures so far no longer count against the budget.", enabled: wave.state === "paused" },
  ];
  const question =
    steps.find((s) => s.action === confirming)?.question ?? (confirming === "cancel" ? "Cancel the wave for good? Its tenants keep their states." : undefined);
  const error = act.error ?? cancel.error;
  return (
    <div className="space-y-3">
      {canRun && open ? (
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Wave steps">
          {steps.map((step) => (
            <Button
              key={step.action}
              variant={step.action === "start" || step.action === "verify" ? "primary" : "secondary"}
              disabled={!step.enabled}
              onClick={() => setConfirming(step.action)}
            >
              {step.label}
            </Button>
          ))}
        </div>
      ) : null}
      {canEdit && open ? (
        <form
          className="flex flex-wrap items-end gap-2"
          aria-label="Record a step"
          onSubmit={(event) => {
            event.preventDefault();
            attest.mutate({ waveId: wave.id, to: attestTo, ...(evidence.trim() ? { evidence: evidence.trim() } : {}) });
          }}
        >
          <label className="text-sm">
            <span className="block text-xs font-medium text-slate-700">Record for every ready tenant</span>
            <Select value={attestTo} onChange={(e) => setAttestTo(e.target.value as typeof attestTo)} aria-label="Step to record">
              {WAVE_ATTESTED_STEPS.map((step) => (
                <option key={step} value={step}>
                  {TENANT_MIGRATION_STATE_LABELS[step]}
                </option>
              ))}
            </Select>
          </label>
          <label className="min-w-48 flex-1 text-sm">
            <span className="block text-xs font-medium text-slate-700">Evidence</span>
            <Input
              value={evidence}
              onChange={(e) => setEvidence(e.target.value)}
              placeholder="A link to the job log, the ticket, what was checked"
              aria-label="Evidence"
            />
          </label>
          <Button type="submit" pending={attest.isPending}>
            Record step
          </Button>
          {wave.state !== "running" ? (
            <Button variant="ghost" onClick={() => setConfirming("cancel")}>
              Cancel wave…
            </Button>
          ) : null}
        </form>
      ) : null}
      {attest.error ? <Alert tone="danger">{userMessageOf(attest.error)}</Alert> : null}
      {confirming && question ? (
        <Alert
          tone="warning"
          title={question}
          data-testid="wave-confirm"
          actions={
            <>
              <Button
                variant={confirming === "cancel" ? "danger" : "primary"}
                pending={act.isPending || cancel.isPending}
                onClick={() => (confirming === "cancel" ? cancel.mutate({ waveId: wave.id }) : act.mutate({ waveId: wave.id, action: confirming }))}
              >
                Confirm
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(undefined)}>
                Back
              </Button>
            </>
          }
        />
      ) : null}
      {error ? <Alert tone="danger">{userMessageOf(error)}</Alert> : null}
    </div>
  );
}

const ACTION_DONE: Record<WaveAction, string> = {
  start: "Starting the ready tenants on Kubernetes",
  verify: "Verifying the started tenants",
  pause: "Wave paused",
  resume: "Wave resumed",
  "retry-failed": "Retrying the failed runs",
  cancel: "Wave cancelled",
};

/** A wave's board: its tenants by stage, live (the board re-reads every 1.5 s while the wave is open). */
export function WaveBoard({ waveId, canRun, canEdit }: { waveId: string; canRun: boolean; canEdit: boolean }) {
  const trpc = useTRPC();
  const { data: wave, dataUpdatedAt } = useSuspenseQuery(
    trpc.migration.waves.board.queryOptions(
      { waveId },
      { refetchInterval: (query) => (["completed", "cancelled"].includes(query.state.data?.state ?? "") ? 15_000 : 1_500) },
    ),
  );
  const byState = new Map<string, WaveTenantView[]>();
  for (const tenant of wave.tenants) byState.set(tenant.state, [...(byState.get(tenant.state) ?? []), tenant]);
  const columns = COLUMNS.filter((state) => state !== "on-swarm" || byState.has(state));
  return (
    <div className="space-y-4" data-testid="wave-board" data-state={wave.state}>
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/migration/waves" className="text-blue-700 hover:underline">
          ← Waves
        </Link>
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">
            {wave.name} <WaveStateBadge state={wave.state} />
          </h1>
          <p className="text-sm text-slate-600">
            {wave.tenantCount} tenants · batches of {wave.batchSize} · {wave.concurrency} at a time · failure budget {wave.failedRuns} of {wave.failureBudget} ·
            exit gate {wave.exitGateHours} h{wave.runByEmail ? ` · steps run as ${wave.runByEmail}` : ""}
            {wave.windowStart ? (
              <>
                {" "}
                · window <RelativeTime iso={wave.windowStart} />
              </>
            ) : null}
          </p>
          {wave.description ? <p className="text-sm">{wave.description}</p> : null}
        </div>
        <WaveProgress verified={wave.verifiedCount} total={wave.tenantCount} />
      </div>
      {wave.state === "paused" && wave.pausedReason ? (
        <Alert tone="warning" title="The wave is paused." data-testid="wave-paused">
          {wave.pausedReason}
        </Alert>
      ) : null}
      <p className="text-sm" data-testid="wave-exit-gate">
        <span className="font-medium">Exit gate:</span> {wave.exitGate.summary}
      </p>
      <StepActions wave={wave} canRun={canRun} canEdit={canEdit} />
      <Card aria-labelledby="wave-board-title">
        <CardHeader
          titleId="wave-board-title"
          title="Tenants by stage"
          description={
            <span>
              Live · updated <time dateTime={new Date(dataUpdatedAt).toISOString()}>{new Date(dataUpdatedAt).toLocaleTimeString("en-GB")}</time>
            </span>
          }
        />
        <CardBody className="md:overflow-x-auto">
          {/* Stacked on a phone; side by side (scrolling inside the card) from md up. Empty stages stay narrow. */}
          <div className="flex flex-col gap-2 md:min-w-max md:flex-row md:items-start md:gap-3">
            {columns.map((state) => {
              const tenants = byState.get(state) ?? [];
              return (
                <section
                  key={state}
                  aria-label={`${TENANT_MIGRATION_STATE_LABELS[state]}: ${tenants.length}`}
                  className={cn("shrink-0 rounded-md bg-slate-50 p-2", tenants.length > 0 ? "md:w-52" : "md:w-32")}
                  data-testid="wave-column"
                  data-state={state}
                >
                  <h3 className={cn("flex justify-between gap-2 text-xs font-semibold", tenants.length > 0 ? "mb-2 text-slate-700" : "text-slate-400")}>
                    {TENANT_MIGRATION_STATE_LABELS[state]} <span data-testid="wave-column-count">{tenants.length}</span>
                  </h3>
                  <ul className="space-y-2">
                    {tenants.slice(0, CARDS_PER_COLUMN).map((tenant) => (
                      <TenantCard key={tenant.tenantId} tenant={tenant} canRun={canRun} waveId={wave.id} />
                    ))}
                  </ul>
                  {tenants.length > CARDS_PER_COLUMN ? <p className="mt-2 text-xs text-slate-600">and {tenants.length - CARDS_PER_COLUMN} more</p> : null}
                </section>
              );
            })}
          </div>
        </CardBody>
      </Card>
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { toast } from "sonner";

import { Panel } from "@/components/tenants/panel";
import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import type { TenantMigrationView } from "@/lib/migration/tenant-migration-views";
import { runsOnKubernetes, TENANT_MIGRATION_STATE_LABELS, type TenantMigrationState } from "@/lib/migration/tenant-states";

const VIA_LABEL: Record<string, string> = { person: "attested", token: "migration script", wave: "wave run", import: "registry import" };

/**
 * The tenant page's "Migration" region: where the tenant is in its move from Swarm, every step
 * with who, when and how, and (for migration:edit) a form to attest the next step. A tenant that
 * was provisioned on Kubernetes has nothing to migrate and says so in one line.
 */
export function TenantMigrationPanel({ tenantId, canEdit }: { tenantId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const migration = useQuery(trpc.migration.tenants.get.queryOptions({ tenantId }));
  // The tenant page's live view carries the migration state: a change by a wave, the migration
  // scripts or another person reloads the history here.
  const { data: tenant } = useQuery({ ...trpc.tenants.get.queryOptions({ id: tenantId }), enabled: false });
  const liveState = tenant?.migrationState;
  const seen = useRef(liveState);
  useEffect(() => {
    if (liveState === seen.current) return;
    seen.current = liveState;
    // The directory hears of a step as it is written, a moment before its transaction commits:
    // reading the history right away could still miss it.
    const timer = setTimeout(() => void queryClient.invalidateQueries(trpc.migration.tenants.get.queryFilter({ tenantId })), 500);
    return () => clearTimeout(timer);
  }, [liveState, queryClient, tenantId, trpc]);

  if (migration.isPending) {
    return (
      <Panel title="Migration" data-testid="tenant-migration">
        <Spinner size="sm" label="Loading the migration" />
      </Panel>
    );
  }
  if (migration.isError) {
    return (
      <Panel title="Migration" data-testid="tenant-migration">
        <Alert tone="danger">{userMessageOf(migration.error)}</Alert>
      </Panel>
    );
  }
  const view = migration.data;
  if (view.state === "native") {
    return (
      <Panel title="Migration" data-testid="tenant-migration">
        <p className="text-sm text-slate-600" data-testid="tenant-migration-state" data-state="native">
          On Kubernetes: this tenant was provisioned there, it has nothing to migrate.
        </p>
      </Panel>
    );
  }
  return (
    <Panel
      title="Migration"
      data-testid="tenant-migration"
      actions={
        <Badge
          tone={runsOnKubernetes(view.state) ? "success" : view.state === "rolled-back" ? "warning" : "info"}
          data-testid="tenant-migration-state"
          data-state={view.state}
        >
          {TENANT_MIGRATION_STATE_LABELS[view.state]}
        </Badge>
      }
    >
      <div className="space-y-3">
        <p className="text-xs text-slate-600">
          {view.updatedByEmail ? (
            <>
              Last changed by {view.updatedByEmail} <RelativeTime iso={view.updatedAt} />
              {view.reason ? <> — {view.reason}</> : null}.
            </>
          ) : null}
        </p>
        {canEdit && view.nextSteps.length > 0 ? <RecordStepForm view={view} /> : null}
        <MigrationHistory view={view} />
      </div>
    </Panel>
  );
}

function RecordStepForm({ view }: { view: TenantMigrationView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [to, setTo] = useState<TenantMigrationState>(view.nextSteps[0]!);
  const step = to && view.nextSteps.includes(to) ? to : view.nextSteps[0]!;
  const record = useMutation(
    trpc.migration.tenants.recordStep.mutationOptions({
      onSuccess: (recorded) => {
        // A toast that goes by itself: the panel's state and history show the step from now on.
        toast.success(`Recorded: now “${TENANT_MIGRATION_STATE_LABELS[recorded.state]}”.`, { testId: "record-step-success" });
        void queryClient.invalidateQueries(trpc.migration.tenants.get.queryFilter({ tenantId: view.tenantId }));
        void queryClient.invalidateQueries(trpc.tenants.get.queryFilter({ id: view.tenantId }));
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(record.error);
  const formError = record.error && Object.keys(fieldErrors).length === 0 ? userMessageOf(record.error) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    record.mutate(
      {
        tenantId: view.tenantId,
        to: step,
        reason: String(form.get("reason") ?? "") || undefined,
        evidence: String(form.get("evidence") ?? "") || undefined,
        expectFrom: view.state,
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={onSubmit} aria-label="Record step" data-testid="record-step-form" className="space-y-2 rounded-md border border-slate-200 p-3">
      <p className="text-xs font-medium text-slate-700">Record step</p>
      {formError ? (
        <Alert tone="danger" data-testid="record-step-error">
          {formError}
        </Alert>
      ) : null}
      <div className="grid gap-2 sm:grid-cols-3">
        <Field label="Step" error={fieldErrors.to}>
          {({ id, describedBy }) => (
            <Select
              id={id}
              name="to"
              value={step}
              onChange={(e) => setTo(e.target.value as TenantMigrationState)}
              aria-describedby={describedBy}
              data-testid="record-step-to"
            >
              {view.nextSteps.map((state) => (
                <option key={state} value={state}>
                  {TENANT_MIGRATION_STATE_LABELS[state]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={step === "rolled-back" ? "Reason (required)" : "Reason"} error={fieldErrors.reason}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              name="reason"
              maxLength={2000}
              required={step === "rolled-back"}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              data-testid="record-step-reason"
            />
          )}
        </Field>
        <Field label="Evidence" hint="A link or a note: the dump file, the ticket." error={fieldErrors.evidence}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              name="evidence"
              maxLength={4000}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              data-testid="record-step-evidence"
            />
          )}
        </Field>
      </div>
      <Button type="submit" variant="primary" pending={record.isPending} data-testid="record-step-submit">
        Record “{TENANT_MIGRATION_STATE_LABELS[step]}”
      </Button>
    </form>
  );
}

function MigrationHistory({ view }: { view: TenantMigrationView }) {
  if (view.history.length === 0) return <p className="text-sm text-slate-500">No step recorded yet.</p>;
  return (
    <Table aria-label="Migration history" data-testid="migration-history">
      <TableHead>
        <TableRow>
          <TableHeaderCell>When</TableHeaderCell>
          <TableHeaderCell>Step</TableHeaderCell>
          <TableHeaderCell>Who</TableHeaderCell>
          <TableHeaderCell>Via</TableHeaderCell>
          <TableHeaderCell>Reason and evidence</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {view.history.map((event) => (
          <TableRow key={event.id} data-testid="migration-event" data-to={event.to} data-via={event.via}>
            <TableCell>
              <RelativeTime iso={event.at} />
            </TableCell>
            <TableCell>
              {TENANT_MIGRATION_STATE_LABELS[event.from]} → {TENANT_MIGRATION_STATE_LABELS[event.to]}
            </TableCell>
            <TableCell>{event.actorEmail}</TableCell>
            <TableCell>{VIA_LABEL[event.via] ?? event.via}</TableCell>
            <TableCell className="max-w-md break-words text-slate-600">{[event.reason, event.evidence].filter(Boolean).join(" · ") || "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

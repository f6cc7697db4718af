"use client";

import clsx from "clsx";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { ACKNOWLEDGE_FOR_HOURS, groupAttention, type AttentionGroup, type AttentionItem } from "@/lib/tenants/acknowledgements";
import { orphanHref } from "@/components/orphans/orphan-href";
import { ClusterBadge } from "./cluster-badge";
import { RelativeTime } from "@/components/tenants/relative-time";
import { SeverityBadge } from "@/components/tenants/severity-badge";
import { formatAbsolute } from "@/components/tenants/time-format";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const FIRST_GROUPS = 10;

const FOR_LABELS: Record<(typeof ACKNOWLEDGE_FOR_HOURS)[number], string> = { 1: "1 hour", 4: "4 hours", 24: "1 day", 72: "3 days", 168: "7 days" };

/**
 * "Needs attention now" by tenant: the worst first, then the oldest; a tenant whose problems are
 * all acknowledged shows muted, after the rest. `canAcknowledge`: the viewer's role may acknowledge.
 */
export function AttentionTable({
  attention,
  canAcknowledge = false,
  showCluster = false,
}: {
  attention: AttentionItem[];
  canAcknowledge?: boolean;
  /** Several clusters: each tenant names its own. */
  showCluster?: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  if (attention.length === 0) {
    return (
      <p data-testid="attention-table" className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        Nothing needs attention right now.
      </p>
    );
  }
  const groups = groupAttention(attention);
  const shown = showAll ? groups : groups.slice(0, FIRST_GROUPS);
  return (
    <div>
      <ul data-testid="attention-table" aria-label="Problems needing attention now, by tenant, most severe first" className="space-y-2">
        {shown.map((group) => (
          <TenantGroup key={group.tenantId} group={group} canAcknowledge={canAcknowledge} showCluster={showCluster} />
        ))}
      </ul>
      {groups.length > FIRST_GROUPS && (
        <button type="button" onClick={() => setShowAll((all) => !all)} className="mt-2 text-sm font-medium text-blue-700 hover:underline">
          {showAll ? "Show fewer" : `Show all ${groups.length} tenants`}
        </button>
      )}
    </div>
  );
}

function TenantGroup({ group, canAcknowledge, showCluster }: { group: AttentionGroup; canAcknowledge: boolean; showCluster: boolean }) {
  const orphan = group.problems[0]?.kind === "orphan-workload";
  const cluster = showCluster ? group.problems[0]?.cluster : undefined;
  return (
    <li
      data-testid="attention-group"
      data-acknowledged={group.acknowledged ? "true" : "false"}
      className={clsx("rounded-lg border bg-white", group.acknowledged ? "border-slate-200 opacity-70" : "border-slate-300")}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-3 py-2">
        <div className="min-w-0">
          {cluster && <ClusterBadge name={cluster} className="mr-2 align-middle" />}
          <Link
            href={orphan ? orphanHref(group.tenantId, cluster) : `/tenants/${group.tenantId}`}
            className="break-all font-medium text-blue-700 hover:underline"
          >
            {group.tenantName}
          </Link>
          {orphan && <span className="ml-2 text-xs text-slate-500">no registry record</span>}
        </div>
        <div className="flex items-center gap-2 text-xs text-slate-600">
          <span>
            {group.problems.length} {group.problems.length === 1 ? "problem" : "problems"}
          </span>
          {group.acknowledged ? <span className="font-medium text-slate-500">acknowledged</span> : <SeverityBadge severity={group.severity} />}
        </div>
      </div>
      <ul className="divide-y divide-slate-100">
        {group.problems.map((problem) => (
          <ProblemRow key={`${problem.kind}-${problem.objectRef?.name ?? ""}`} problem={problem} canAcknowledge={canAcknowledge} />
        ))}
      </ul>
    </li>
  );
}

function ProblemRow({ problem, canAcknowledge }: { problem: AttentionItem; canAcknowledge: boolean }) {
  const [acknowledging, setAcknowledging] = useState(false);
  const ack = problem.acknowledgement;
  return (
    <li data-testid="attention-problem" data-kind={problem.kind} className={clsx("px-3 py-2 text-sm", ack && "text-slate-500")}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        {/* At least 14rem before the time, badge and button wrap below it: a phone keeps the words readable. */}
        <div className="min-w-56 flex-1">
          <div className={ack ? "text-slate-600" : "text-slate-900"}>{problem.title}</div>
          {problem.detail && <div className="break-words text-xs text-slate-500">{problem.detail}</div>}
          <div className="mt-0.5 text-xs text-slate-500">
            {problem.runbook ? (
              <>
                Runbook:{" "}
                <Link href={`/tenants/${problem.tenantId}`} className="font-medium text-blue-700 hover:underline" data-testid="attention-runbook">
                  {problem.runbook.title}
                </Link>
              </>
            ) : (
              "No runbook addresses this yet: it needs a person."
            )}
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-2 text-xs text-slate-600">
          <RelativeTime iso={problem.since} />
          {!ack && <SeverityBadge severity={problem.severity} />}
          {canAcknowledge && !ack && !acknowledging && (
            <Button size="sm" variant="ghost" onClick={() => setAcknowledging(true)} aria-label={`Acknowledge: ${problem.title}`}>
              Acknowledge…
            </Button>
          )}
        </div>
      </div>
      {ack && <Acknowledgement problem={problem} acknowledgement={ack} canWithdraw={canAcknowledge} />}
      {acknowledging && <AcknowledgeForm problem={problem} onDone={() => setAcknowledging(false)} />}
    </li>
  );
}

function Acknowledgement({
  problem,
  acknowledgement,
  canWithdraw,
}: {
  problem: AttentionItem;
  acknowledgement: NonNullable<AttentionItem["acknowledgement"]>;
  canWithdraw: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const withdraw = useMutation(
    trpc.fleet.withdrawAcknowledgement.mutationOptions({
      onSuccess: () => {
        toast.success("Acknowledgement withdrawn", { description: problem.title });
        void queryClient.invalidateQueries(trpc.fleet.summary.pathFilter());
      },
      onError: (error) => toast.error("Could not withdraw the acknowledgement", { description: userMessageOf(error) }),
    }),
  );
  return (
    <p data-testid="acknowledgement" className="mt-1 flex flex-wrap items-center gap-x-2 rounded bg-slate-50 px-2 py-1 text-xs text-slate-600">
      <span>
        Acknowledged by <span className="font-medium">{acknowledgement.acknowledgedByEmail}</span> until{" "}
        <time dateTime={acknowledgement.expiresAt} title={formatAbsolute(acknowledgement.expiresAt)}>
          {formatAbsolute(acknowledgement.expiresAt)}
        </time>
        : {acknowledgement.reason}
      </span>
      {canWithdraw && (
        <Button size="sm" variant="ghost" pending={withdraw.isPending} onClick={() => withdraw.mutate({ acknowledgementId: acknowledgement.id })}>
          Withdraw
        </Button>
      )}
    </p>
  );
}

function AcknowledgeForm({ problem, onDone }: { problem: AttentionItem; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [forHours, setForHours] = useState<number>(4);
  const acknowledge = useMutation(
    trpc.fleet.acknowledge.mutationOptions({
      onSuccess: (ack) => {
        toast.success("Problem acknowledged", { description: `${problem.tenantName}: until ${formatAbsolute(ack.expiresAt)}` });
        void queryClient.invalidateQueries(trpc.fleet.summary.pathFilter());
        onDone();
      },
    }),
  );
  const error = acknowledge.error ? userMessageOf(acknowledge.error) : undefined;
  return (
    <form
      aria-label={`Acknowledge ${problem.title}`}
      className="mt-2 flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-2"
      onSubmit={(event) => {
        event.preventDefault();
        acknowledge.mutate({ tenantId: problem.tenantId, problemKind: problem.kind, reason, forHours });
      }}
    >
      <Field label="Why it can wait" error={error} className="min-w-48 flex-1">
        {({ id, describedBy, invalid }) => (
          <Input
            id={id}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={500}
            required
            minLength={3}
            autoFocus
            placeholder="e.g. customer is migrating data, expected until tonight"
          />
        )}
      </Field>
      <Field label="For">
        {({ id }) => (
          <Select id={id} value={forHours} onChange={(event) => setForHours(Number(event.target.value))}>
            {ACKNOWLEDGE_FOR_HOURS.map((hours) => (
              <option key={hours} value={hours}>
                {FOR_LABELS[hours]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button type="submit" variant="primary" size="md" pending={acknowledge.isPending}>
        Acknowledge
      </Button>
      <Button variant="ghost" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}

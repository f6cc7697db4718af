"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { GateBadge } from "@/components/migration/gate-badge";
import { formatAbsolute, formatBytes } from "@/components/tenants/time-format";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClassName } from "@/components/ui/button";
import { Field, Input, inputClass } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import {
  MAX_EVIDENCE_FILE_BYTES,
  MAX_EVIDENCE_FILE_LABEL,
  PRIORITY_LABELS,
  TASK_STATUSES,
  TASK_STATUS_LABELS,
  WORKSTREAM_LABELS,
  type TaskStatus,
} from "@/lib/migration/checklist";
import { GATE_TITLES, type GateResultView } from "@/lib/migration/gates";
import type { ChecklistTaskDetail, TaskOwnerView } from "@/server/migration/checklist/checklist-service";

import { TaskAttestations } from "./task-attestations";
import { PRIORITY_TONE, STATUS_TONE } from "./task-style";

type Notice = { tone: "success" | "danger"; text: string } | null;

const FIELD_LABELS: Record<string, string> = { owner: "owner", dueDate: "due date", status: "status", blockedReason: "blocked reason", evidence: "evidence" };

/**
 * One task's details beside the checklist: what it takes (acceptance), its fields (a PM edits
 * them), its evidence and its history. Closing it goes back to the checklist's URL.
 */
export function TaskDrawer({
  taskId,
  closeHref,
  canEdit,
  owners,
  gates,
}: {
  taskId: string;
  closeHref: string;
  canEdit: boolean;
  owners: TaskOwnerView[];
  gates?: Record<string, GateResultView>;
}) {
  const closeRef = useRef<HTMLAnchorElement>(null);
  useEffect(() => closeRef.current?.focus(), [taskId]);
  return (
    <div className="fixed inset-0 z-40 flex justify-end bg-slate-900/30 dark:bg-black/50" data-testid="migration-task-drawer">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="migration-task-title"
        className="flex h-full w-full max-w-xl flex-col overflow-y-auto bg-white shadow-xl"
        onKeyDown={(event) => {
          if (event.key === "Escape") closeRef.current?.click();
        }}
      >
        <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
          <span className="text-xs font-medium text-slate-600">Checklist task</span>
          <Link ref={closeRef} href={closeHref} scroll={false} className={buttonClassName({ variant: "ghost", size: "sm" })}>
            Close
          </Link>
        </div>
        <TaskDetail taskId={taskId} canEdit={canEdit} owners={owners} gates={gates} />
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-2 border-t border-slate-200 px-4 py-3" aria-label={title}>
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function TaskDetail({ taskId, canEdit, owners, gates }: { taskId: string; canEdit: boolean; owners: TaskOwnerView[]; gates?: Record<string, GateResultView> }) {
  const trpc = useTRPC();
  // Not a suspense query: a link to a task that no longer exists shows its message in the drawer
  // instead of failing the page's server render.
  const query = useQuery(trpc.migration.checklist.get.queryOptions({ taskId }));
  if (query.isError) {
    return (
      <div className="p-4">
        <Alert tone="danger" title="This task could not be loaded.">
          {userMessageOf(query.error)}
        </Alert>
      </div>
    );
  }
  if (!query.data) {
    return (
      <div aria-busy="true" className="space-y-2 p-4">
        <Skeleton className="h-6" />
        <Skeleton className="h-24" />
      </div>
    );
  }
  const task = query.data;
  return (
    <div className="pb-6">
      <div className="space-y-2 px-4 py-3">
        <h2 id="migration-task-title" className="text-lg font-semibold">
          {task.title}
        </h2>
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <Badge tone={STATUS_TONE[task.status]}>{TASK_STATUS_LABELS[task.status]}</Badge>
          <Badge tone={PRIORITY_TONE[task.priority]}>{PRIORITY_LABELS[task.priority]}</Badge>
          <span className="text-slate-600">
            Week {task.week} · {WORKSTREAM_LABELS[task.workstream]}
          </span>
        </div>
        <p className="text-sm text-slate-700">
          <span className="font-medium">Acceptance: </span>
          {task.acceptance}
        </p>
        {task.gateId && task.gateKey && (
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <span className="font-medium">Automatic check:</span> {GATE_TITLES[task.gateId]}
            {task.gateParam ? ` (${task.gateParam})` : ""}
            <GateBadge gate={gates?.[task.gateKey]} />
          </p>
        )}
      </div>
      <Section title="Details">{canEdit ? <TaskEditForm task={task} owners={owners} /> : <TaskFields task={task} />}</Section>
      <Section title="Manual check">
        <TaskAttestations taskId={task.id} canEdit={canEdit} />
      </Section>
      <Section title="Evidence">
        <EvidenceList task={task} canEdit={canEdit} />
        {canEdit && <EvidenceForm taskId={task.id} />}
      </Section>
      <Section title="History">
        <TaskHistory task={task} />
      </Section>
    </div>
  );
}

function TaskFields({ task }: { task: ChecklistTaskDetail }) {
  const rows: [string, string][] = [
    ["Owner", task.owner ? `${task.owner.name} (${task.owner.email})` : "Nobody"],
    ["Due date", task.dueDate ?? "None"],
    ["Status", TASK_STATUS_LABELS[task.status]],
  ];
  if (task.status === "blocked") rows.push(["Blocked because", task.blockedReason ?? ""]);
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm" data-testid="migration-task-fields">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function useInvalidateChecklist() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.migration.checklist.pathFilter());
}

function TaskEditForm({ task, owners }: { task: ChecklistTaskDetail; owners: TaskOwnerView[] }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateChecklist();
  const [ownerId, setOwnerId] = useState(task.owner?.id ?? "");
  const [dueDate, setDueDate] = useState(task.dueDate ?? "");
  const [status, setStatus] = useState<TaskStatus>(task.status);
  const [blockedReason, setBlockedReason] = useState(task.blockedReason ?? "");
  const [notice, setNotice] = useState<Notice>(null);
  const update = useMutation(
    trpc.migration.checklist.update.mutationOptions({
      onSuccess: (result) => setNotice({ tone: "success", text: result.changes.length > 0 ? "Saved." : "Nothing changed." }),
      onError: (error) => setNotice({ tone: "danger", text: userMessageOf(error) }),
      onSettled: () => invalidate(),
    }),
  );
  const reasonMissing = status === "blocked" && blockedReason.trim() === "";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonMissing) {
      setNotice({ tone: "danger", text: "Say why the task is blocked." });
      return;
    }
    update.mutate({
      taskId: task.id,
      ownerId: ownerId || null,
      dueDate: dueDate || null,
      status,
      ...(status === "blocked" ? { blockedReason: blockedReason.trim() } : {}),
    });
  };
  // Owners who were disabled since still show on their tasks.
  const ownerOptions = task.owner && !owners.some((owner) => owner.id === task.owner?.id) ? [...owners, task.owner] : owners;
  return (
    <form className="space-y-3" onSubmit={submit} aria-label="Edit task">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Owner">
          {({ id }) => (
            <Select id={id} value={ownerId} onChange={(event) => setOwnerId(event.target.value)}>
              <option value="">Nobody</option>
              {ownerOptions.map((owner) => (
                <option key={owner.id} value={owner.id}>
                  {owner.name ? `${owner.name} (${owner.email})` : owner.email}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Due date">{({ id }) => <Input id={id} type="date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} />}</Field>
        <Field label="Status">
          {({ id }) => (
            <Select id={id} value={status} onChange={(event) => setStatus(event.target.value as TaskStatus)}>
              {TASK_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {TASK_STATUS_LABELS[value]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {status === "blocked" && (
          <Field label="Blocked because" error={reasonMissing && notice?.tone === "danger" ? "Say why the task is blocked." : undefined}>
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                value={blockedReason}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                maxLength={500}
                onChange={(event) => setBlockedReason(event.target.value)}
              />
            )}
          </Field>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" pending={update.isPending}>
          Save task
        </Button>
        {notice && (
          <span role={notice.tone === "danger" ? "alert" : "status"} className={notice.tone === "danger" ? "text-sm text-red-700" : "text-sm text-emerald-700"}>
            {notice.text}
          </span>
        )}
      </div>
    </form>
  );
}

function EvidenceList({ task, canEdit }: { task: ChecklistTaskDetail; canEdit: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateChecklist();
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.migration.checklist.removeEvidence.mutationOptions({
      onError: (failure) => setError(userMessageOf(failure)),
      onSuccess: () => setError(null),
      onSettled: () => invalidate(),
    }),
  );
  if (task.evidence.length === 0) return <p className="text-sm text-slate-600">No evidence yet.</p>;
  return (
    <>
      {error && <Alert tone="danger" title={error} />}
      <ul className="space-y-2" data-testid="migration-evidence-list">
        {task.evidence.map((item) => (
          <li key={item.id} className="flex flex-wrap items-start justify-between gap-2 rounded border border-slate-200 px-3 py-2 text-sm">
            <div className="min-w-0 flex-1">
              {item.kind === "link" && item.url ? (
                <a href={item.url} target="_blank" rel="noopener noreferrer" className="break-all font-medium text-blue-700 underline">
                  {item.title}
                </a>
              ) : item.kind === "file" ? (
                <a href={`/api/migration/checklist/evidence/${item.id}`} download className="break-all font-medium text-blue-700 underline">
                  {item.title}
                </a>
              ) : (
                <span className="font-medium text-slate-900">{item.title}</span>
              )}
              {item.kind === "note" && item.note && item.note !== item.title && <p className="whitespace-pre-wrap text-slate-700">{item.note}</p>}
              <p className="text-xs text-slate-600">
                {item.kind === "file" ? `File, ${formatBytes(item.size)} · ` : item.kind === "link" ? "Link · " : "Note · "}
                {item.addedByEmail} · {formatAbsolute(item.addedAt)}
              </p>
            </div>
            {canEdit && (
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove evidence ${item.title}`}
                pending={remove.isPending && remove.variables?.evidenceId === item.id}
                onClick={() => remove.mutate({ evidenceId: item.id })}
              >
                Remove
              </Button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

type EvidenceKind = "link" | "note" | "file";

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error("The file could not be read; choose it again."));
    reader.readAsDataURL(file);
  });
}

function EvidenceForm({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateChecklist();
  const [kind, setKind] = useState<EvidenceKind>("link");
  const [title, setTitle] = useState("");
  const [url, setUrl] = useState("");
  const [note, setNote] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const add = useMutation(
    trpc.migration.checklist.addEvidence.mutationOptions({
      onSuccess: () => {
        setNotice({ tone: "success", text: "Evidence added." });
        setTitle("");
        setUrl("");
        setNote("");
        setFile(null);
        setFileInputKey((key) => key + 1);
      },
      onError: (error) => setNotice({ tone: "danger", text: userMessageOf(error) }),
      onSettled: () => invalidate(),
    }),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const common = { taskId, ...(title.trim() ? { title: title.trim() } : {}) };
    if (kind === "link") add.mutate({ kind, ...common, url: url.trim() });
    else if (kind === "note") add.mutate({ kind, ...common, note });
    else {
      if (!file) return setNotice({ tone: "danger", text: "Choose a file." });
      // Refused here already, so a large file is not sent only to be refused by the server.
      if (file.size > MAX_EVIDENCE_FILE_BYTES) {
        return setNotice({ tone: "danger", text: `The file is ${formatBytes(file.size)}; evidence files are at most ${MAX_EVIDENCE_FILE_LABEL}.` });
      }
      try {
        add.mutate({ kind, ...common, fileName: file.name, contentType: file.type || undefined, contentBase64: await readBase64(file) });
      } catch (error) {
        setNotice({ tone: "danger", text: userMessageOf(error) });
      }
    }
  };
  return (
    <form className="space-y-3 rounded border border-dashed border-slate-300 p-3" onSubmit={submit} aria-label="Add evidence">
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 text-xs font-medium text-slate-700">Add evidence</legend>
        {(["link", "note", "file"] as const).map((value) => (
          <label key={value} className="flex items-center gap-1.5">
            <input type="radio" name="evidence-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
            {value === "link" ? "Link" : value === "note" ? "Note" : "File"}
          </label>
        ))}
      </fieldset>
      {kind === "link" && (
        <Field label="Link (URL)">
          {({ id }) => <Input id={id} type="url" inputMode="url" placeholder="https://…" value={url} onChange={(event) => setUrl(event.target.value)} />}
        </Field>
      )}
      {kind === "note" && (
        <Field label="Note">
          {({ id }) => <textarea id={id} className={inputClass} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />}
        </Field>
      )}
      {kind === "file" && (
        <Field label="File" hint={`At most ${MAX_EVIDENCE_FILE_LABEL}.`}>
          {({ id, describedBy }) => (
            <input
              key={fileInputKey}
              id={id}
              type="file"
              aria-describedby={describedBy}
              className="block w-full text-sm"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          )}
        </Field>
      )}
      <Field label="Title (optional)">{({ id }) => <Input id={id} value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />}</Field>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" pending={add.isPending}>
          Add evidence
        </Button>
        {notice && (
          <span role={notice.tone === "danger" ? "alert" : "status"} className={notice.tone === "danger" ? "text-sm text-red-700" : "text-sm text-emerald-700"}>
            {notice.text}
          </span>
        )}
      </div>
    </form>
  );
}

function TaskHistory({ task }: { task: ChecklistTaskDetail }) {
  if (task.changes.length === 0) return <p className="text-sm text-slate-600">No changes yet.</p>;
  const show = (field: string, value: string | null) => {
    if (value === null || value === "") return "nothing";
    return field === "status" ? (TASK_STATUS_LABELS[value as TaskStatus] ?? value) : value;
  };
  return (
    <ol className="space-y-1.5 text-sm" data-testid="migration-task-history">
      {task.changes.map((change) => (
        <li key={change.id} className="text-slate-700">
          <span className="font-medium text-slate-900">{change.actorEmail}</span>{" "}
          {change.field === "attestation"
            ? change.toValue === "revoked"
              ? "revoked the attestation"
              : `attested the task${change.toValue?.startsWith("attested until ") ? ` until ${formatAbsolute(change.toValue.slice("attested until ".length))}` : ""}`
            : change.field === "evidence"
              ? change.toValue
                ? `added evidence ${change.toValue}`
                : `removed evidence ${change.fromValue ?? ""}`
              : `changed ${FIELD_LABELS[change.field] ?? change.field} from ${show(change.field, change.fromValue)} to ${show(change.field, change.toValue)}`}
          <span className="block text-xs text-slate-500">{formatAbsolute(change.at)}</span>
        </li>
      ))}
    </ol>
  );
}

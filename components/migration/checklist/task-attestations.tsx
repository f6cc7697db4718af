"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { formatAbsolute } from "@/components/tenants/time-format";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input, inputClass } from "@/components/ui/input";
import type { AttestationView } from "@/lib/migration/attestations";

function stateOf(attestation: AttestationView): { label: string; tone: "success" | "neutral" | "warning" } {
  if (attestation.revokedAt) return { label: "Revoked", tone: "neutral" };
  if (!attestation.active) return { label: "Expired", tone: "warning" };
  return { label: "Holds", tone: "success" };
}

/**
 * A task's manual checks: a person attests, with evidence, that the task holds, optionally until a
 * date (the task's own default applies otherwise); an expired or revoked attestation no longer counts.
 */
export function TaskAttestations({ taskId, canEdit }: { taskId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.migration.gates.attestations.queryOptions({ taskId }));
  const [note, setNote] = useState("");
  const [until, setUntil] = useState("");
  // The task's history records each attestation too.
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.migration.gates.pathFilter());
    void queryClient.invalidateQueries(trpc.migration.checklist.pathFilter());
  };
  const attest = useMutation(
    trpc.migration.gates.attest.mutationOptions({
      onSuccess: () => {
        setNote("");
        setUntil("");
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.migration.gates.revokeAttestation.mutationOptions({ onSuccess: refresh }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    attest.mutate({ taskId, note, ...(until ? { expiresAt: new Date(`${until}T23:59:59`) } : {}) });
  };
  const attestations = list.data ?? [];
  return (
    <div className="space-y-3" data-testid="task-attestations">
      {list.isError ? <Alert tone="danger">{userMessageOf(list.error)}</Alert> : null}
      {attestations.length === 0 && !list.isPending ? <p className="text-sm text-slate-600">Nobody has attested this task yet.</p> : null}
      <ul className="space-y-2">
        {attestations.map((attestation) => {
          const state = stateOf(attestation);
          return (
            <li key={attestation.id} className="rounded-md border border-slate-200 p-2 text-sm" data-testid="task-attestation" data-active={attestation.active}>
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={state.tone}>{state.label}</Badge>
                <span className="text-slate-700">
                  {attestation.attestedByEmail}, <time dateTime={attestation.attestedAt}>{formatAbsolute(attestation.attestedAt)}</time>
                  {attestation.expiresAt ? (
                    <>
                      {" "}
                      · until <time dateTime={attestation.expiresAt}>{formatAbsolute(attestation.expiresAt)}</time>
                    </>
                  ) : null}
                </span>
                {canEdit && attestation.active ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    pending={revoke.isPending && revoke.variables?.attestationId === attestation.id}
                    onClick={() => revoke.mutate({ attestationId: attestation.id })}
                  >
                    Revoke
                  </Button>
                ) : null}
              </div>
              <p className="mt-1 whitespace-pre-wrap text-slate-800">{attestation.note}</p>
            </li>
          );
        })}
      </ul>
      {revoke.error ? <Alert tone="danger">{userMessageOf(revoke.error)}</Alert> : null}
      {canEdit ? (
        <form onSubmit={submit} className="space-y-2" aria-label="Attest this task">
          <Field label="What you checked" hint="The evidence: what you looked at, links, who else agreed">
            {({ id, describedBy }) => (
              <textarea id={id} aria-describedby={describedBy} rows={2} value={note} onChange={(e) => setNote(e.target.value)} className={inputClass} />
            )}
          </Field>
          <Field label="Holds until (optional)" hint="Empty: the task's own expiry, if it has one">
            {({ id, describedBy }) => <Input id={id} type="date" aria-describedby={describedBy} value={until} onChange={(e) => setUntil(e.target.value)} />}
          </Field>
          {attest.error ? <Alert tone="danger">{userMessageOf(attest.error)}</Alert> : null}
          <Button type="submit" pending={attest.isPending} disabled={note.trim() === ""}>
            Attest
          </Button>
        </form>
      ) : null}
    </div>
  );
}

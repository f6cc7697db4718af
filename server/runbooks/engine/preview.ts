import "server-only";

import { createHash } from "node:crypto";

import { createPatch } from "diff";
import { stringify } from "yaml";

import type { ObjectChangeView, PreconditionView } from "@/lib/runbooks/run-views";
import type { ClusterSource } from "@/server/kube/cluster-source";
import { KubeError, toKubeError } from "@/server/kube/kube-error";
import type { KubeMutation, MutationOutcome } from "@/server/kube/mutations";
import type { RawObject } from "@/server/kube/watch-stream";
import type { RunbookContext, RunbookDefinition } from "../runbook";

/**
 * A plan as the API server previewed it: every mutation sent with dryRun=All, in order, each
 * pinned to what that dry run read (the object's resourceVersion, a pod's uid), and the diff of
 * every object. Nothing here lists the cluster: one GET and one dry-run request per mutation.
 */
export interface PreviewedPlan {
  preconditions: PreconditionView[];
  mutations: KubeMutation[];
  changes: ObjectChangeView[];
  /** The API server's Status message when it refused a dry run. */
  refusal?: string;
  planHash: string;
}

/** Fields that change on every write and tell an operator nothing. */
function forDiff(object: RawObject | undefined): string {
  if (!object) return "";
  const copy = structuredClone(object) as { metadata?: Record<string, unknown>; status?: unknown };
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    delete copy.metadata.resourceVersion;
    delete copy.metadata.generation;
  }
  return stringify(copy, { sortMapEntries: false, lineWidth: 0 });
}

/** The unified diff without the file headers: only changed lines, with 3 lines of context. */
export function objectDiff(before: RawObject | undefined, after: RawObject | undefined): string {
  const patch = createPatch("object", forDiff(before), forDiff(after), "", "", { context: 3 });
  const lines = patch.split("\n");
  const firstHunk = lines.findIndex((line) => line.startsWith("@@"));
  if (firstHunk < 0) return "";
  return lines
    .slice(firstHunk)
    .filter((line) => line !== "\\ No newline at end of file")
    .join("\n")
    .trimEnd();
}

function requestLine(outcome: MutationOutcome): string {
  const type = outcome.request.contentType?.includes("strategic")
    ? " (strategic merge)"
    : outcome.request.contentType?.includes("merge")
      ? " (merge patch)"
      : "";
  return `${outcome.request.method} ${outcome.request.path}${type}`;
}

export function changeView(outcome: MutationOutcome): ObjectChangeView {
  const { target } = outcome;
  const effect = outcome.removes ? "removes" : outcome.before ? "changes" : "creates";
  return {
    // The scale subresource answers (and the diff shows) a Scale, not the whole Deployment.
    title: `${outcome.request.path.endsWith("/scale") ? "Scale of " : ""}${target.kind} ${target.namespace}/${target.name}`,
    request: requestLine(outcome),
    diff: outcome.removes ? objectDiff(outcome.before, undefined).split("\n").slice(0, 40).join("\n") : objectDiff(outcome.before, outcome.after),
    effect,
    resourceVersion: (outcome.before?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion,
  };
}

/**
 * Pins a mutation to the object its dry run read: the resourceVersion on the first change of each
 * object (later changes of the same object follow the first one's new version), a pod's uid.
 */
function pin(mutation: KubeMutation, before: RawObject | undefined, pinned: Set<string>): KubeMutation {
  if (mutation.type === "create-job-from-cronjob" || !before) return mutation;
  const metadata = before.metadata as { resourceVersion?: string; uid?: string };
  const key = `${mutation.type === "evict-pod" || mutation.type === "force-delete-pod" ? "pod" : mutation.type === "expand-volume" ? "pvc" : "deployment"}/${mutation.name}`;
  if (mutation.type === "evict-pod" || mutation.type === "force-delete-pod") {
    // A pod's status moves on all the time; its uid is what names this pod and not a newer one.
    return { ...mutation, uid: metadata.uid ?? mutation.uid };
  }
  if (pinned.has(key)) return mutation;
  pinned.add(key);
  return { ...mutation, resourceVersion: metadata.resourceVersion };
}

export function planHashOf(parts: { tenantId: string; runbookId: string; input: unknown; mutations: readonly KubeMutation[] }): string {
  return createHash("sha256").update(canonicalJson(parts)).digest("hex");
}

/** JSON with sorted keys: the same plan always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function kubeRefusal(error: unknown): string {
  const kube = error instanceof KubeError ? error : toKubeError(error);
  return kube.message;
}

export async function previewPlan<Input>(
  definition: RunbookDefinition<Input>,
  input: Input,
  context: RunbookContext,
  source: ClusterSource,
  options: { signal?: AbortSignal } = {},
): Promise<PreviewedPlan> {
  const preconditions = definition.preconditions(input, context);
  const planned = preconditions.every((p) => p.ok) ? definition.plan(input, context) : [];
  const mutations: KubeMutation[] = [];
  const changes: ObjectChangeView[] = [];
  const pinned = new Set<string>();
  let refusal: string | undefined;
  for (const mutation of planned) {
    try {
      const outcome = await source.mutate(mutation, { dryRun: true, signal: options.signal });
      mutations.push(pin(mutation, outcome.before, pinned));
      changes.push(changeView(outcome));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      refusal = kubeRefusal(error);
      mutations.push(mutation);
      break;
    }
  }
  const planHash = planHashOf({ tenantId: context.tenant.id, runbookId: definition.id, input, mutations });
  return { preconditions, mutations, changes, refusal, planHash };
}

import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import type { PreconditionView } from "@/lib/runbooks/run-views";
import { quantityBytes } from "./quantity";
import type { RunbookContext, RunbookDefinition } from "./runbook";

type Input = RunbookInput<"expand-volume">;

function claimsOf(context: RunbookContext) {
  return context.cluster.listForTenant("persistentvolumeclaims", context.tenant.id);
}

/**
 * Grows a Bound claim on a StorageClass that allows expansion, up to RUNBOOK_MAX_VOLUME_SIZE. The
 * CSI driver resizes the volume, the kubelet the file system; verified when the claim's capacity
 * reached the request with no resize condition left. An infeasible or failing resize is reported
 * with the controller's own message. The engine previews the patch with a dry run (dryRun=All),
 * so an admission refusal (a class that cannot grow, a shrink) shows before anything is sent.
 */
export const expandVolume: RunbookDefinition<Input> = {
  id: "expand-volume",
  title: "Expand a volume",
  description: "Grows one of the instance's volumes to a larger size (volumes never shrink). The instance keeps running.",
  scope: "volume",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["expand-volume"],
  permission: () => "runbook:run",
  risk: () => "low",
  targets: (context) => claimsOf(context).map((pvc) => pvc.metadata.name),
  preconditions(input, context) {
    const pvc = claimsOf(context).find((claim) => claim.metadata.name === input.volume);
    const className = pvc?.spec.storageClassName;
    const storageClass = className ? context.cluster.get("storageclasses", undefined, className) : undefined;
    const current = quantityBytes(pvc?.status.capacity ?? pvc?.spec.requestedStorage);
    const requested = quantityBytes(input.size);
    const max = quantityBytes(context.settings.maxVolumeSize);
    const resizing = pvc?.status.conditions.some((c) => c.type === "Resizing" || c.type === "FileSystemResizePending");
    const checks: PreconditionView[] = [
      {
        id: "volume-exists",
        label: `Volume ${input.volume} belongs to this instance`,
        ok: Boolean(pvc),
        reason: pvc ? undefined : "No volume of this instance has that name.",
      },
      {
        id: "bound",
        label: "The volume is Bound",
        ok: pvc?.status.phase === "Bound",
        reason: pvc?.status.phase === "Bound" ? undefined : `The claim is ${pvc?.status.phase ?? "missing"}; only a Bound claim can grow.`,
      },
      {
        id: "expandable",
        label: `Its storage class${className ? ` ${className}` : ""} allows expansion`,
        ok: Boolean(storageClass?.allowVolumeExpansion),
        reason: storageClass?.allowVolumeExpansion
          ? undefined
          : storageClass
            ? `StorageClass ${className} does not set allowVolumeExpansion: true.`
            : `The cluster has no StorageClass ${className ?? "(none named)"}.`,
      },
      {
        id: "larger",
        label: `${input.size} is larger than the current ${pvc?.status.capacity ?? "size"}`,
        ok: requested !== undefined && current !== undefined && requested > current,
        reason:
          requested !== undefined && current !== undefined && requested > current ? undefined : "Volumes only grow: choose a size above the current capacity.",
      },
      {
        id: "under-maximum",
        label: `${input.size} is at most ${context.settings.maxVolumeSize}`,
        ok: requested !== undefined && max !== undefined && requested <= max,
        reason:
          requested !== undefined && max !== undefined && requested <= max
            ? undefined
            : `The portal expands volumes up to ${context.settings.maxVolumeSize} (RUNBOOK_MAX_VOLUME_SIZE).`,
      },
      { id: "not-resizing", label: "No resize is in progress", ok: !resizing, reason: resizing ? "A resize of this volume is still in progress." : undefined },
    ];
    return checks;
  },
  plan(input, context) {
    return [{ type: "expand-volume", namespace: context.namespace, name: input.volume, storage: input.size }];
  },
  verify(sent, context) {
    const pvc = claimsOf(context).find((claim) => claim.metadata.name === sent.input.volume);
    if (!pvc) return { done: true, ok: false, message: `Volume ${sent.input.volume} is gone.` };
    const error = pvc.status.conditions.find((c) => c.type === "ControllerResizeError" || c.type === "NodeResizeError");
    if (error) return { done: true, ok: false, message: `The resize failed (${error.type}): ${error.message ?? error.reason ?? "no message"}` };
    const resizing = pvc.status.conditions.map((c) => c.type).filter((type) => type === "Resizing" || type === "FileSystemResizePending");
    const capacity = quantityBytes(pvc.status.capacity);
    const requested = quantityBytes(sent.input.size) ?? Infinity;
    if (capacity !== undefined && capacity >= requested && resizing.length === 0) {
      return { done: true, ok: true, message: `Volume ${pvc.metadata.name} now has ${pvc.status.capacity}.` };
    }
    return {
      done: false,
      progress: `Capacity ${pvc.status.capacity ?? "unknown"} of ${sent.input.size}${resizing.length ? ` (${resizing.join(", ")})` : ""}.`,
    };
  },
  verifyTimeoutMs: 5 * 60_000,
};

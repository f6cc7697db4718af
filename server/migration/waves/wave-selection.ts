import "server-only";

import type { TenantSize, WaveSelectionPreview } from "@/lib/migration/waves";
import type { WaveSelection } from "@/lib/migration/wave-schemas";
import type { TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import type { TenantRecord } from "@/lib/tenants/types";

const GIB = 1024 ** 3;

/** The size bucket of a tenant by its largest volume request (undefined: no volume known). */
export function tenantSize(largestVolumeBytes: number | undefined): TenantSize | undefined {
  if (largestVolumeBytes === undefined) return undefined;
  if (largestVolumeBytes < 10 * GIB) return "small";
  if (largestVolumeBytes <= 50 * GIB) return "medium";
  return "large";
}

export interface SelectionCandidate {
  record: TenantRecord;
  state: TenantMigrationStateOrNative;
  /** The open wave the tenant belongs to already, if any. */
  openWaveName?: string;
  size?: TenantSize;
}

function matches(candidate: SelectionCandidate, selection: WaveSelection, picked: ReadonlySet<string>): boolean {
  const { record } = candidate;
  if (picked.size > 0 && !picked.has(record.id)) return false;
  if (selection.instanceTypes.length > 0 && !selection.instanceTypes.includes(record.instanceType)) return false;
  if (selection.odooVersions.length > 0 && !selection.odooVersions.includes(record.odooVersion)) return false;
  if (selection.sizes.length > 0 && (!candidate.size || !selection.sizes.includes(candidate.size))) return false;
  const customer = selection.customer.toLowerCase();
  if (customer && !record.customerId.toLowerCase().includes(customer) && !record.customerEmail.toLowerCase().includes(customer)) return false;
  return true;
}

/** Why a matching tenant cannot join a new wave, or undefined when it can. */
export function exclusionReason(candidate: SelectionCandidate): string | undefined {
  if (candidate.openWaveName) return `already in wave “${candidate.openWaveName}”`;
  if (candidate.state === "native") return "already on Kubernetes (never on Swarm)";
  if (candidate.state !== "on-swarm" && candidate.state !== "rolled-back") return "already migrating";
  return undefined;
}

export interface SelectionResult {
  /** The tenants that join, in order (by name, then id), at most `selection.limit`. */
  tenantIds: string[];
  preview: WaveSelectionPreview;
}

/** Applies a wave's selection to the fleet: who matches, who can join, and why the others cannot. */
export function selectWaveTenants(candidates: readonly SelectionCandidate[], selection: WaveSelection): SelectionResult {
  const picked = new Set(selection.tenantIds);
  const matching = candidates
    .filter((candidate) => matches(candidate, selection, picked))
    .sort((a, b) => a.record.name.localeCompare(b.record.name) || a.record.id.localeCompare(b.record.id));
  const excluded = new Map<string, number>();
  const eligible: SelectionCandidate[] = [];
  for (const candidate of matching) {
    const reason = exclusionReason(candidate);
    if (reason) excluded.set(reason, (excluded.get(reason) ?? 0) + 1);
    else eligible.push(candidate);
  }
  const joining = selection.limit ? eligible.slice(0, selection.limit) : eligible;
  return {
    tenantIds: joining.map((candidate) => candidate.record.id),
    preview: {
      matching: matching.length,
      eligible: joining.length,
      sample: joining.slice(0, 20).map(({ record }) => ({
        tenantId: record.id,
        name: record.name,
        instanceType: record.instanceType,
        odooVersion: record.odooVersion,
      })),
      excluded: [...excluded].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      production: joining.filter((candidate) => candidate.record.instanceType === "production").length,
      canaryFirst: false,
    },
  };
}

/** Batch number (0-based) of the tenant at `position` in a wave of batches of `batchSize`. */
export function batchOf(position: number, batchSize: number): number {
  return Math.floor(position / batchSize);
}

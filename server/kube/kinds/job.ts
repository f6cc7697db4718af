import "server-only";

import type { RawObject } from "../watch-stream";
import { interned, slimConditionsOf, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";
import type { Condition } from "@/lib/cluster/views";

export interface JobObject {
  kind: "Job";
  metadata: ObjectMeta;
  /** Conditions: Complete and Failed while True (what a backup run's outcome is read from). */
  status: { active: number; succeeded: number; failed: number; startTime?: string; completionTime?: string; conditions: readonly Condition[] };
}

// backupRun reads Failed and Complete, only when True; a failure's reason, message and time are shown.
const JOB_CONDITIONS = new Set(["Complete", "Failed"]);
const JOB_DETAIL_WHEN_TRUE = new Set(["Failed"]);

function slimJob(raw: RawObject, slimMetadata: MetadataSlimmer): JobObject {
  const r = raw as Raw;
  return {
    kind: "Job",
    metadata: slimMetadata(raw, { owners: "kind", uniqueName: true }),
    status: {
      active: r.status?.active ?? 0,
      succeeded: r.status?.succeeded ?? 0,
      failed: r.status?.failed ?? 0,
      startTime: interned(r.status?.startTime),
      completionTime: interned(r.status?.completionTime),
      conditions: slimConditionsOf(r.status?.conditions, JOB_CONDITIONS, { onlyTrue: true, detailWhenTrue: JOB_DETAIL_WHEN_TRUE }),
    },
  };
}

/** CronJobs are not watched: a backup Job's owner reference names its CronJob's kind, which is all the portal reads of them. */
export const jobKind: CachedKind<JobObject> = { path: "/apis/batch/v1/jobs", slim: slimJob };

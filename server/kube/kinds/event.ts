import "server-only";

import type { RawObject } from "../watch-stream";
import { interned, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";

export interface EventObject {
  kind: "Event";
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
}

function slimEvent(raw: RawObject, slimMetadata: MetadataSlimmer): EventObject {
  const r = raw as Raw;
  return {
    kind: "Event",
    metadata: slimMetadata(raw, { uniqueName: true }),
    involvedObject: {
      kind: interned(r.involvedObject?.kind),
      name: interned(r.involvedObject?.name),
      namespace: interned(r.involvedObject?.namespace),
    },
    reason: interned(r.reason),
    message: r.message,
    type: interned(r.type),
    count: r.count ?? r.series?.count ?? 1,
    firstTimestamp: r.firstTimestamp ?? r.eventTime ?? r.metadata?.creationTimestamp,
    lastTimestamp: r.lastTimestamp ?? r.series?.lastObservedTime ?? r.eventTime ?? r.metadata?.creationTimestamp,
    source: interned(r.source?.component ?? r.reportingComponent),
  };
}

export const eventKind: CachedKind<EventObject> = { path: "/api/v1/events", slim: slimEvent };

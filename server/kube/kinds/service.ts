import "server-only";

import type { RawObject } from "../watch-stream";
import { interned, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";

export interface ServiceObject {
  kind: "Service";
  metadata: ObjectMeta;
  spec: { type?: string; clusterIP?: string; ports: { name?: string; port: number; targetPort?: string | number; protocol?: string }[] };
}

function slimService(raw: RawObject, slimMetadata: MetadataSlimmer): ServiceObject {
  const r = raw as Raw;
  return {
    kind: "Service",
    metadata: slimMetadata(raw),
    spec: {
      type: interned(r.spec?.type),
      clusterIP: r.spec?.clusterIP,
      ports: ((r.spec?.ports ?? []) as Raw[]).map((p) => ({
        name: interned(p.name),
        port: p.port,
        targetPort: interned(p.targetPort),
        protocol: interned(p.protocol),
      })),
    },
  };
}

export const serviceKind: CachedKind<ServiceObject> = { path: "/api/v1/services", slim: slimService };

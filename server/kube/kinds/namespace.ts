import "server-only";

import type { RawObject } from "../watch-stream";
import { interned, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";

export interface NamespaceObject {
  kind: "Namespace";
  metadata: ObjectMeta;
  phase?: string;
}

function slimNamespace(raw: RawObject, slimMetadata: MetadataSlimmer): NamespaceObject {
  return { kind: "Namespace", metadata: slimMetadata(raw), phase: interned((raw as Raw).status?.phase) };
}

export const namespaceKind: CachedKind<NamespaceObject> = { path: "/api/v1/namespaces", slim: slimNamespace };

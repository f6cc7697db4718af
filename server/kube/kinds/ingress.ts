import "server-only";

import type { RawObject } from "../watch-stream";
import type { CachedKind, MetadataSlimmer, ObjectMeta, Raw } from "./slimming";

export interface IngressObject {
  kind: "Ingress";
  metadata: ObjectMeta;
  spec: { hosts: string[] };
}

function slimIngress(raw: RawObject, slimMetadata: MetadataSlimmer): IngressObject {
  const r = raw as Raw;
  return {
    kind: "Ingress",
    metadata: slimMetadata(raw),
    spec: { hosts: ((r.spec?.rules ?? []) as Raw[]).map((rule) => rule.host).filter(Boolean) },
  };
}

export const ingressKind: CachedKind<IngressObject> = { path: "/apis/networking.k8s.io/v1/ingresses", slim: slimIngress };

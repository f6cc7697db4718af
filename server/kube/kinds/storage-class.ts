import "server-only";

import type { RawObject } from "../watch-stream";
import type { CachedKind, MetadataSlimmer, ObjectMeta, Raw } from "./slimming";

export interface StorageClassObject {
  kind: "StorageClass";
  metadata: ObjectMeta;
  provisioner?: string;
  allowVolumeExpansion: boolean;
  isDefault: boolean;
}

function slimStorageClass(raw: RawObject, slimMetadata: MetadataSlimmer): StorageClassObject {
  const r = raw as Raw;
  return {
    kind: "StorageClass",
    metadata: slimMetadata(raw),
    provisioner: r.provisioner,
    allowVolumeExpansion: Boolean(r.allowVolumeExpansion),
    isDefault: r.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
  };
}

export const storageClassKind: CachedKind<StorageClassObject> = { path: "/apis/storage.k8s.io/v1/storageclasses", slim: slimStorageClass };

import "server-only";

/**
 * The cached kinds, one module each: adding a kind is its module plus one line in KINDS. The
 * order is the order the cache starts their watches in.
 */
import type { RawObject } from "../watch-stream";
import { deploymentKind } from "./deployment";
import { eventKind } from "./event";
import { ingressKind } from "./ingress";
import { jobKind } from "./job";
import { namespaceKind } from "./namespace";
import { nodeKind } from "./node";
import { pvcKind } from "./persistent-volume-claim";
import { podKind } from "./pod";
import { replicaSetKind } from "./replica-set";
import { serviceKind } from "./service";
import { slimMetadata, type MetadataSlimmer } from "./slimming";
import { storageClassKind } from "./storage-class";

/** Each kind under the resource name its API path ends in (the cache's name for it). */
const KINDS = {
  namespaces: namespaceKind,
  deployments: deploymentKind,
  replicasets: replicaSetKind,
  pods: podKind,
  persistentvolumeclaims: pvcKind,
  services: serviceKind,
  ingresses: ingressKind,
  events: eventKind,
  nodes: nodeKind,
  storageclasses: storageClassKind,
  jobs: jobKind,
};

export type ResourceName = keyof typeof KINDS;

/** The slim object each resource's slimmer makes. */
export type ObjectByResource = { [R in ResourceName]: ReturnType<(typeof KINDS)[R]["slim"]> };

export type CachedObject = ObjectByResource[ResourceName];

type Slimmers = { [R in ResourceName]: (raw: RawObject) => ObjectByResource[R] };

export const RESOURCE_NAMES = Object.keys(KINDS) as ResourceName[];

/** Where each resource is listed and watched (cluster-wide). */
export const RESOURCE_PATHS = Object.fromEntries(RESOURCE_NAMES.map((resource) => [resource, KINDS[resource].path])) as Record<ResourceName, string>;

/** The label the cache joins objects to tenants with, unless TENANT_LABEL_KEY says otherwise. */
const DEFAULT_TENANT_LABEL_KEY = "saasodoo.instance.id";

/** The slimmers for a cache whose tenant label is one of `labelKeys` (the only labels kept). */
export function createSlimmers(options: { labelKeys: readonly string[] }): Slimmers {
  const labelKeys = [...options.labelKeys];
  const slimMeta: MetadataSlimmer = (raw, meta = {}) => slimMetadata(raw, labelKeys, meta);
  return Object.fromEntries(
    RESOURCE_NAMES.map((resource) => {
      const slim = KINDS[resource].slim;
      return [resource, (raw: RawObject) => slim(raw, slimMeta)];
    }),
  ) as Slimmers;
}

/** Slimmers keeping the default tenant label (tests, fixtures, benches). */
export const slimmers = createSlimmers({ labelKeys: [DEFAULT_TENANT_LABEL_KEY] });

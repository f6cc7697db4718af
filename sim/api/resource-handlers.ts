import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { withJobDefaults } from "../controllers/workloads";
import { ApiError, badRequest, conflict, forbidden, invalid, methodNotAllowed, notFound } from "../store/api-error";
import { cloneObject, type ObjectStore } from "../store/object-store";
import type { DeleteOptions, KubeObject, ObjectMeta, PropagationPolicy, ResourceType } from "../store/types";
import { applyCreateDefaults } from "./defaults";
import { fieldValidationOf, pruneUnknownFields, unknownFieldOutcome } from "./field-pruning";
import { fieldsReleasedByApply, managerOf, recordApply, recordUpdate, removeField, requireApplyManager } from "./managed-fields";
import { deletePreconditionError, evictPod, parseEviction } from "./eviction";
import { boolParam, intParam, parseJsonBody, readBody, readBodyBytes, sendJson, sendJsonText } from "./http-util";
import { applyPatch, parsePatchBody, patchTypeOf } from "./patch";
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from "./protobuf";
import { parseFieldSelector, parseLabelSelector, selectorString } from "./selectors";
import { tableJson, wantsTable, type IncludeObject } from "./tables";
import { admit, validateObject } from "./validation";
import type { WatchHub } from "./watch";

export interface ResourceRequest {
  resource: ResourceType;
  key: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

const apiVersionOf = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);

interface ContinueToken {
  rv: number;
  /** namespace + "/" + name of the last item returned */
  start: [string, string];
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: t.rv, start: t.start })).toString("base64url");
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    if (typeof t.rv !== "number" || !Array.isArray(t.start)) throw new Error("bad token");
    return { rv: t.rv, start: [String(t.start[0]), String(t.start[1])] };
  } catch {
    throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

function compareKey(o: KubeObject, k: [string, string]): number {
  const ns = o.metadata.namespace ?? "";
  if (ns !== k[0]) return ns < k[0] ? -1 : 1;
  return o.metadata.name < k[1] ? -1 : o.metadata.name > k[1] ? 1 : 0;
}

function dryRunOf(query: URLSearchParams, bodyDryRun?: unknown): boolean {
  const values = [...query.getAll("dryRun"), ...(Array.isArray(bodyDryRun) ? bodyDryRun : [])];
  for (const v of values) if (v !== "All") throw badRequest(`Invalid dry run value: ${v}`);
  return values.length > 0;
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

/** Object JSON for a response: a table row when the client asked for `as=Table`. */
function objectResponse(ctx: ResourceRequest, store: ObjectStore, obj: KubeObject, status = 200): void {
  if (wantsTable(ctx.req.headers.accept)) {
    sendJsonText(
      ctx.res,
      status,
      tableJson(ctx.key, [obj], {
        includeObject: includeObjectOf(ctx.query),
        resourceVersion: obj.metadata.resourceVersion ?? "",
        objectJson: (o) => store.toJson(o),
      }),
    );
    return;
  }
  sendJsonText(ctx.res, status, store.toJson(obj));
}

function requireContentType(req: IncomingMessage): void {
  const ct = mediaTypeOf(req);
  if (ct !== "application/json" && ct !== "application/yaml" && ct !== "*/*" && ct !== PROTOBUF_MEDIA_TYPE) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
}

function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase();
}

/** A JSON object, not yet checked beyond that: checkIdentity and validateObject see to its shape. */
async function readObjectBody(ctx: ResourceRequest): Promise<KubeObject> {
  requireContentType(ctx.req);
  if (mediaTypeOf(ctx.req) === PROTOBUF_MEDIA_TYPE) return decodeProtobufBody(await readBodyBytes(ctx.req)) as KubeObject;
  const raw = await readBody(ctx.req);
  const ct = (ctx.req.headers["content-type"] ?? "").toLowerCase();
  let body: unknown;
  if (ct.startsWith("application/yaml")) {
    const { parse } = await import("yaml");
    try {
      body = parse(raw);
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  } else body = parseJsonBody(raw);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest(`Object 'Kind' is missing in '${raw.slice(0, 200)}'`);
  return body as KubeObject;
}

/** A server-side apply: its manager, whether it takes conflicting fields over, and the configuration it sent. */
interface ApplyRequest {
  manager: string;
  force: boolean;
  config: KubeObject;
}

/** The fields of a DeleteOptions body the API reads, as the client sent them. */
interface DeleteBody {
  gracePeriodSeconds?: unknown;
  propagationPolicy?: unknown;
  orphanDependents?: unknown;
  dryRun?: unknown;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** An autoscaling/v1 Scale as served, or as a client sent it (replicas checked before use). */
type Scale = {
  kind?: unknown;
  apiVersion?: unknown;
  metadata?: Partial<ObjectMeta>;
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
};

/** What Go's JSON decoder would refuse in ObjectMeta, as 400 BadRequest. */
function checkMetadataTypes(metadata: object): void {
  const meta = metadata as Record<string, unknown>;
  for (const field of ["name", "namespace", "generateName", "resourceVersion"] as const) {
    const v = meta[field];
    if (v !== undefined && v !== null && typeof v !== "string")
      throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ObjectMeta.metadata.${field} of type string`);
  }
  for (const field of ["labels", "annotations"] as const) {
    const v = meta[field];
    if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v)))
      throw badRequest(
        `json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`,
      );
  }
}

/** Kinds whose objects have no `spec` (their content sits at the top level). */
const KINDS_WITHOUT_SPEC = new Set(["core/configmaps", "core/events", "core/serviceaccounts", "storage.k8s.io/storageclasses"]);

export class ResourceHandlers {
  constructor(
    private store: ObjectStore,
    private watches: WatchHub,
  ) {}

  async handle(ctx: ResourceRequest): Promise<void> {
    const { req, resource, name, subresource } = ctx;
    const method = req.method ?? "GET";
    const verbs = resource.verbs;
    if (!name) {
      if (method === "GET") return boolParam(ctx.query.get("watch")) ? this.watch(ctx) : this.list(ctx);
      if (method === "POST") return this.create(ctx);
      if (method === "DELETE" && verbs.includes("deletecollection")) return this.deleteCollection(ctx);
      throw methodNotAllowed();
    }
    if (subresource === "status") {
      if (method === "GET") return this.get(ctx);
      if (method === "PUT") return this.update(ctx, "status");
      if (method === "PATCH") return this.patch(ctx, "status");
      throw methodNotAllowed();
    }
    if (subresource === "scale") return this.scale(ctx);
    if (subresource === "eviction" && ctx.key === "core/pods") {
      if (method !== "POST") throw methodNotAllowed();
      return this.evict(ctx);
    }
    if (subresource) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    switch (method) {
      case "GET":
        return boolParam(ctx.query.get("watch")) ? this.watch(ctx) : this.get(ctx);
      case "PUT":
        return this.update(ctx);
      case "PATCH":
        return this.patch(ctx);
      case "DELETE":
        return this.delete(ctx);
      default:
        throw methodNotAllowed();
    }
  }

  private existing(ctx: ResourceRequest): KubeObject {
    const obj = this.store.get(ctx.key, ctx.namespace, ctx.name!);
    if (!obj) throw notFound(ctx.resource.plural, ctx.name!, ctx.resource.group);
    return obj;
  }

  private get(ctx: ResourceRequest): void {
    objectResponse(ctx, this.store, this.existing(ctx));
  }

  private selection(ctx: ResourceRequest) {
    const labelSelector = parseLabelSelector(ctx.query.get("labelSelector"));
    let fieldSelector = parseFieldSelector(ctx.query.get("fieldSelector"), ctx.key);
    if (ctx.name) {
      const name = ctx.name;
      const inner = fieldSelector;
      fieldSelector = (o) => o.metadata.name === name && (!inner || inner(o));
    }
    return { labelSelector, fieldSelector };
  }

  private list(ctx: ResourceRequest): void {
    const { store } = this;
    const { labelSelector, fieldSelector } = this.selection(ctx);
    const limit = intParam("limit", ctx.query.get("limit"));
    const cont = ctx.query.get("continue");
    const all = ctx.namespace !== undefined && ctx.resource.namespaced ? store.list(ctx.key, ctx.namespace) : store.list(ctx.key);
    let start = 0;
    let listRv = store.currentRv();
    if (cont) {
      const token = decodeContinue(cont);
      if (token.rv < store.oldestRv()) {
        throw new ApiError(
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        );
      }
      listRv = token.rv;
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareKey(all[mid]!, token.start) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const filtered = !!(labelSelector || fieldSelector);
    const items: KubeObject[] = [];
    let i = start;
    const max = limit !== undefined && limit > 0 ? limit : Infinity;
    for (; i < all.length && items.length < max; i++) {
      const o = all[i]!;
      if (labelSelector && !labelSelector(o.metadata.labels)) continue;
      if (fieldSelector && !fieldSelector(o)) continue;
      items.push(o);
    }
    let continueToken: string | undefined;
    let remaining: number | undefined;
    if (i < all.length && items.length > 0) {
      const last = items[items.length - 1]!;
      continueToken = encodeContinue({ rv: listRv, start: [last.metadata.namespace ?? "", last.metadata.name] });
      if (!filtered) remaining = all.length - i;
    }
    const rv = String(listRv);
    if (wantsTable(ctx.req.headers.accept)) {
      sendJsonText(
        ctx.res,
        200,
        tableJson(ctx.key, items, {
          includeObject: includeObjectOf(ctx.query),
          resourceVersion: rv,
          continueToken,
          remainingItemCount: remaining,
          objectJson: (o) => store.toJson(o),
        }),
      );
      return;
    }
    const meta: Record<string, unknown> = { resourceVersion: rv };
    if (continueToken) meta.continue = continueToken;
    if (remaining !== undefined) meta.remainingItemCount = remaining;
    const json = `{"kind":"${ctx.resource.kind}List","apiVersion":"${apiVersionOf(ctx.resource)}","metadata":${JSON.stringify(meta)},"items":[${items.map((o) => store.toItemJson(o)).join(",")}]}`;
    sendJsonText(ctx.res, 200, json);
  }

  private watch(ctx: ResourceRequest): void {
    const { labelSelector, fieldSelector } = this.selection(ctx);
    const timeoutSeconds = intParam("timeoutSeconds", ctx.query.get("timeoutSeconds"));
    const rv = ctx.query.get("resourceVersion") ?? undefined;
    if (rv && rv !== "0" && !/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be an unsigned integer`);
    this.watches.serve(
      {
        resource: ctx.resource,
        key: ctx.key,
        namespace: ctx.resource.namespaced ? ctx.namespace : undefined,
        labelSelector,
        fieldSelector,
        resourceVersion: rv,
        sendInitialEvents: boolParam(ctx.query.get("sendInitialEvents")),
        allowBookmarks: boolParam(ctx.query.get("allowWatchBookmarks")),
        timeoutSeconds,
        table: wantsTable(ctx.req.headers.accept) ? { includeObject: includeObjectOf(ctx.query) } : undefined,
      },
      ctx.res,
    );
  }

  private checkNamespace(ctx: ResourceRequest, verb: "create" | "update"): void {
    if (!ctx.resource.namespaced || ctx.namespace === undefined) return;
    const ns = this.store.get("core/namespaces", undefined, ctx.namespace);
    if (!ns) throw notFound("namespaces", ctx.namespace);
    if (verb === "create" && ns.metadata.deletionTimestamp) {
      throw forbidden(ctx.resource.plural, "", `unable to create new content in namespace ${ctx.namespace} because it is being terminated`, ctx.resource.group);
    }
  }

  private checkIdentity(ctx: ResourceRequest, body: KubeObject): void {
    const r = ctx.resource;
    const expected = apiVersionOf(r);
    if (body.apiVersion !== undefined && body.apiVersion !== expected && !(ctx.subresource === "scale")) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (body.kind !== undefined && body.kind !== r.kind && ctx.subresource !== "scale")
      throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${r.kind})`);
    // Filled in below and checked by validateObject.
    body.metadata ??= {} as ObjectMeta;
    if (typeof body.metadata !== "object" || Array.isArray(body.metadata))
      throw badRequest(
        `json: cannot unmarshal ${Array.isArray(body.metadata) ? "array" : typeof body.metadata} into Go struct field .metadata of type v1.ObjectMeta`,
      );
    checkMetadataTypes(body.metadata);
    for (const field of ["spec", "status"]) {
      const v = body[field];
      if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v))) {
        throw badRequest(
          `json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go struct field ${r.kind}.${field} of type v1.${r.kind}${field === "spec" ? "Spec" : "Status"}`,
        );
      }
    }
    if (r.namespaced && ctx.namespace !== undefined) {
      if (body.metadata.namespace && body.metadata.namespace !== ctx.namespace)
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      body.metadata.namespace = ctx.namespace;
    }
    if (ctx.name && body.metadata.name && body.metadata.name !== ctx.name)
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${ctx.name})`);
    if (ctx.name) body.metadata.name ??= ctx.name;
  }

  private async create(ctx: ResourceRequest): Promise<void> {
    const body = await readObjectBody(ctx);
    const dryRun = dryRunOf(ctx.query);
    if (ctx.resource.namespaced && ctx.namespace === undefined) throw methodNotAllowed();
    this.checkIdentity(ctx, body);
    this.checkNamespace(ctx, "create");
    this.createObject(ctx, body, dryRun);
  }

  /** Drops the body's unknown fields (400 under fieldValidation=Strict) and sets the Warning header for them. */
  private pruneUnknown(ctx: ResourceRequest, body: KubeObject, current?: KubeObject): void {
    const validation = fieldValidationOf(ctx.query);
    const warnings = unknownFieldOutcome(ctx.resource, pruneUnknownFields(ctx.resource, body, current), validation);
    if (warnings.length > 0) ctx.res.setHeader("Warning", warnings);
  }

  /** managedFields of the object a write stores (`current` absent on a create). */
  private managedFields(ctx: ResourceRequest, current: KubeObject | undefined, next: KubeObject, apply?: ApplyRequest, subresource?: string) {
    const apiVersion = apiVersionOf(ctx.resource);
    return apply
      ? recordApply(current, apply.config, next, apply.manager, apiVersion, apply.force)
      : recordUpdate(ctx.resource, current, next, managerOf(ctx.query, ctx.req.headers["user-agent"]), apiVersion, subresource);
  }

  private createObject(ctx: ResourceRequest, body: KubeObject, dryRun: boolean, apply?: ApplyRequest): void {
    this.pruneUnknown(ctx, body);
    const meta = body.metadata;
    for (const k of ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const) delete meta[k];
    // Recorded below from what this request sets.
    delete meta.managedFields;
    if (!meta.name && !meta.generateName)
      throw invalid(
        ctx.resource.kind,
        "",
        [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }],
        ctx.resource.group,
      );
    body.apiVersion = apiVersionOf(ctx.resource);
    body.kind = ctx.resource.kind;
    body.spec ??= KINDS_WITHOUT_SPEC.has(ctx.key) || ctx.resource.group === "rbac.authorization.k8s.io" ? undefined : {};
    if (body.spec === undefined) delete body.spec;
    applyCreateDefaults(ctx.key, body);
    if (ctx.key === "batch/jobs" && body.spec?.template && typeof body.spec.template === "object") {
      // The job's selector and pod labels carry its uid (controller-uid, job-name), set on create.
      meta.uid = randomUUID();
      withJobDefaults(body);
    }
    validateObject(ctx.resource, { ...body, metadata: { ...meta, name: meta.name || `${meta.generateName}xxxxx` } });
    admit(this.store, ctx.key, body);
    meta.managedFields = this.managedFields(ctx, undefined, body, apply);
    const created = this.store.create(ctx.key, body, { dryRun });
    objectResponse(ctx, this.store, created, 201);
  }

  private async update(ctx: ResourceRequest, subresource?: "status"): Promise<void> {
    const body = await readObjectBody(ctx);
    const dryRun = dryRunOf(ctx.query);
    this.checkIdentity(ctx, body);
    const current = this.existing(ctx);
    if (!body.metadata.resourceVersion) {
      throw invalid(
        ctx.resource.kind,
        ctx.name!,
        [{ reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion" }],
        ctx.resource.group,
      );
    }
    if (body.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict(ctx.resource.plural, ctx.name!, ctx.resource.group);
    this.pruneUnknown(ctx, body, current);
    this.commitUpdate(ctx, body, current, dryRun, subresource, 200);
  }

  private commitUpdate(
    ctx: ResourceRequest,
    next: KubeObject,
    current: KubeObject,
    dryRun: boolean,
    subresource: "status" | undefined,
    status: number,
    apply?: ApplyRequest,
  ): void {
    if (!subresource) {
      validateObject(ctx.resource, next, current);
      admit(this.store, ctx.key, next, current);
    }
    next.metadata.managedFields = this.managedFields(ctx, current, next, apply, subresource);
    const stored = this.store.update(ctx.key, next, { dryRun, subresource });
    objectResponse(ctx, this.store, stored, status);
  }

  private async patch(ctx: ResourceRequest, subresource?: "status"): Promise<void> {
    const type = patchTypeOf(ctx.req.headers["content-type"]);
    const raw = await readBody(ctx.req);
    const patch = parsePatchBody(type, raw);
    const dryRun = dryRunOf(ctx.query);
    const current = this.store.get(ctx.key, ctx.namespace, ctx.name!);
    const apply: ApplyRequest | undefined =
      type === "apply" && patch && typeof patch === "object"
        ? { manager: requireApplyManager(ctx.query), force: boolParam(ctx.query.get("force")), config: cloneObject(patch as KubeObject) }
        : undefined;
    if (!current) {
      if (type === "apply" && !subresource) {
        const body = patch as KubeObject | null;
        if (!body || typeof body !== "object") throw badRequest("invalid apply patch");
        this.checkIdentity(ctx, body);
        this.checkNamespace(ctx, "create");
        return this.createObject(ctx, body, dryRun, apply);
      }
      throw notFound(ctx.resource.plural, ctx.name!, ctx.resource.group);
    }
    if (type === "apply" && patch && typeof patch === "object") this.checkIdentity(ctx, patch as KubeObject);
    const next = applyPatch(type, cloneObject(current), patch) as KubeObject;
    if (!next || typeof next !== "object" || !next.metadata || typeof next.metadata !== "object") throw badRequest("the patch produced an invalid object");
    // An applier that leaves out a field it set before gives it up: the field goes unless another manager owns it.
    if (apply) for (const path of fieldsReleasedByApply(current, apply.config, apply.manager)) removeField(next, path);
    checkMetadataTypes(next.metadata);
    this.pruneUnknown(ctx, next, current);
    if (next.metadata.name !== current.metadata.name)
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${current.metadata.name})`);
    if (ctx.resource.namespaced && next.metadata.namespace !== current.metadata.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (next.metadata.uid !== current.metadata.uid)
      throw conflict(
        ctx.resource.plural,
        ctx.name!,
        ctx.resource.group,
        `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    this.commitUpdate(ctx, next, current, dryRun, subresource, 200, apply);
  }

  private deleteOptions(
    requestQuery: URLSearchParams,
    body: DeleteBody | undefined,
  ): DeleteOptions & { preconditions?: { uid?: string; resourceVersion?: string } } {
    // handlers/delete.go reads the options from the body when there is one, and then from nothing
    // else: `?dryRun=All` beside a DeleteOptions body deletes for real.
    const query = body === undefined ? requestQuery : new URLSearchParams();
    const grace =
      intParam("gracePeriodSeconds", query.get("gracePeriodSeconds")) ?? (typeof body?.gracePeriodSeconds === "number" ? body.gracePeriodSeconds : undefined);
    let policy = (query.get("propagationPolicy") ?? body?.propagationPolicy) as PropagationPolicy | undefined;
    if (policy === undefined && (boolParam(query.get("orphanDependents")) || body?.orphanDependents === true)) policy = "Orphan";
    if (policy !== undefined && !["Foreground", "Background", "Orphan"].includes(policy)) {
      throw invalid("DeleteOptions", "", [
        {
          reason: "FieldValueNotSupported",
          message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
          field: "propagationPolicy",
        },
      ]);
    }
    const dryRun = dryRunOf(query, body?.dryRun);
    return { gracePeriodSeconds: grace, propagationPolicy: policy, dryRun, preconditions: body?.preconditions };
  }

  private async readDeleteBody(ctx: ResourceRequest): Promise<DeleteBody | undefined> {
    if (mediaTypeOf(ctx.req) === PROTOBUF_MEDIA_TYPE) {
      const bytes = await readBodyBytes(ctx.req);
      return bytes.length ? (decodeProtobufBody(bytes) as DeleteBody) : undefined;
    }
    const raw = await readBody(ctx.req);
    if (!raw.trim()) return undefined;
    return parseJsonBody(raw, "DeleteOptions") as DeleteBody;
  }

  private async delete(ctx: ResourceRequest): Promise<void> {
    const body = await this.readDeleteBody(ctx);
    const opts = this.deleteOptions(ctx.query, body);
    const current = this.existing(ctx);
    const preconditionError = deletePreconditionError(ctx.resource.kind, current, opts.preconditions);
    if (preconditionError) throw preconditionError;
    const result = this.store.delete(ctx.key, ctx.namespace, ctx.name!, opts);
    const stillThere = opts.dryRun ? !!result.metadata.deletionTimestamp : !!this.store.get(ctx.key, ctx.namespace, ctx.name!);
    if (ctx.key === "core/pods" || ctx.key === "core/namespaces" || stillThere) {
      // handlers/delete.go answers 202 only for an object still there after orphanDependents=false.
      const orphanQuery = ctx.query.get("orphanDependents");
      const orphanDependentsFalse = orphanQuery !== null ? !boolParam(orphanQuery) : body?.orphanDependents === false;
      const accepted = stillThere && orphanDependentsFalse;
      objectResponse(ctx, this.store, result, accepted ? 202 : 200);
      return;
    }
    sendJson(ctx.res, 200, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: ctx.name, group: ctx.resource.group || undefined, kind: ctx.resource.plural, uid: current.metadata.uid },
    });
  }

  private async evict(ctx: ResourceRequest): Promise<void> {
    requireContentType(ctx.req);
    let eviction: unknown;
    if (mediaTypeOf(ctx.req) === PROTOBUF_MEDIA_TYPE) eviction = decodeProtobufBody(await readBodyBytes(ctx.req));
    else {
      const raw = await readBody(ctx.req);
      eviction = raw.trim() ? parseJsonBody(raw, "Eviction") : {};
    }
    const { deleteOptions } = parseEviction(eviction, ctx.name!);
    const dryRun = dryRunOf(ctx.query, deleteOptions.dryRun);
    const opts = this.deleteOptions(new URLSearchParams(), deleteOptions as DeleteBody);
    evictPod(this.store, ctx.namespace!, ctx.name!, { ...opts, preconditions: deleteOptions.preconditions }, dryRun);
    // The create handler fills in the code of a Status result: 201, as for any create.
    sendJson(ctx.res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
  }

  private async deleteCollection(ctx: ResourceRequest): Promise<void> {
    const body = await this.readDeleteBody(ctx);
    const opts = this.deleteOptions(ctx.query, body);
    const { labelSelector, fieldSelector } = this.selection(ctx);
    const all = ctx.namespace !== undefined ? this.store.list(ctx.key, ctx.namespace) : this.store.list(ctx.key);
    const deleted: KubeObject[] = [];
    for (const o of [...all]) {
      if (labelSelector && !labelSelector(o.metadata.labels)) continue;
      if (fieldSelector && !fieldSelector(o)) continue;
      try {
        deleted.push(this.store.delete(ctx.key, o.metadata.namespace, o.metadata.name, opts));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    const json = `{"kind":"${ctx.resource.kind}List","apiVersion":"${apiVersionOf(ctx.resource)}","metadata":{"resourceVersion":"${this.store.currentRv()}"},"items":[${deleted.map((o) => this.store.toItemJson(o)).join(",")}]}`;
    sendJsonText(ctx.res, 200, json);
  }

  private scaleOf(obj: KubeObject): Scale {
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: obj.spec?.replicas ?? 1 },
      status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.spec?.selector) },
    };
  }

  private async scale(ctx: ResourceRequest): Promise<void> {
    if (!(ctx.resource.subresources ?? []).includes("scale")) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    const method = ctx.req.method;
    const current = this.existing(ctx);
    if (method === "GET") {
      sendJson(ctx.res, 200, this.scaleOf(current));
      return;
    }
    let scale: Scale;
    if (method === "PUT") {
      scale = await readObjectBody(ctx);
      if (scale.kind !== undefined && scale.kind !== "Scale") throw badRequest(`the kind in the data (${scale.kind}) does not match the expected kind (Scale)`);
      const rv = scale.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(ctx.resource.plural, ctx.name!, ctx.resource.group);
    } else if (method === "PATCH") {
      const type = patchTypeOf(ctx.req.headers["content-type"]);
      const patch = parsePatchBody(type, await readBody(ctx.req));
      scale = applyPatch(type, this.scaleOf(current), patch) as Scale;
      const rv = scale.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(ctx.resource.plural, ctx.name!, ctx.resource.group);
    } else throw methodNotAllowed();
    const replicas = scale?.spec?.replicas ?? 0;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw invalid(
        "Scale",
        ctx.name!,
        [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: "spec.replicas" }],
        "autoscaling",
      );
    }
    const dryRun = dryRunOf(ctx.query);
    const next = cloneObject(current);
    next.spec = { ...(next.spec ?? {}), replicas };
    const stored = this.store.update(ctx.key, next, { dryRun });
    sendJson(ctx.res, 200, this.scaleOf(stored));
  }
}

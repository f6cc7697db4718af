// Protobuf request bodies (`application/vnd.kubernetes.protobuf`), which kubectl sends for
// create, delete and drain's evictions: the `k8s\0` magic, a runtime.Unknown envelope naming the
// kind, and the object in the generated.proto schema of k8s.io/api (proto/, copied from the
// Kubernetes modules the control plane is built from), read with protobufjs and turned into the
// JSON the rest of the simulator handles. Kinds outside the copied groups are 415.
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { ApiError, badRequest } from "../store/api-error";

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "proto");
const FILES = ["core/v1", "apps/v1", "batch/v1", "policy/v1"].map((group) => `k8s.io/api/${group}/generated.proto`);
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

let root: protobuf.Root | undefined;
function schema(): protobuf.Root {
  if (!root) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
    root.loadSync(FILES, { keepCase: true });
    root.resolveAll();
  }
  return root;
}

/** The message type of a kind: DeleteOptions is meta's whatever group sent it. */
function typeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  if (kind === "DeleteOptions") return schema().lookupType(`${META}.DeleteOptions`);
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  try {
    return schema().lookupType(`k8s.io.api.${group}.${version}.${kind}`);
  } catch {
    return undefined;
  }
}

function rfc3339(seconds: number, nanos = 0, micro = false): string {
  const date = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "");
  return micro ? `${date}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z` : `${date}Z`;
}

const toNumber = (v: unknown) => (typeof v === "object" && v !== null && "toNumber" in v ? (v as { toNumber(): number }).toNumber() : Number(v));

/** A field's value as the JSON encoding of the same Go type would write it. */
function jsonValue(field: protobuf.Field, value: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Type) return messageJson(field.resolvedType, value as protobuf.Message);
  if (field.type === "bytes") return Buffer.from(value as Uint8Array).toString("base64");
  if (["int64", "uint64", "sint64", "fixed64", "sfixed64"].includes(field.type)) return toNumber(value);
  return value;
}

function messageJson(type: protobuf.Type, message: protobuf.Message): unknown {
  const values = message as unknown as Record<string, unknown>;
  const has = (name: string) => Object.prototype.hasOwnProperty.call(values, name);
  switch (type.fullName.slice(1)) {
    case `${META}.Time`:
      return rfc3339(toNumber(values.seconds ?? 0));
    case `${META}.MicroTime`:
      return rfc3339(toNumber(values.seconds ?? 0), Number(values.nanos ?? 0), true);
    case `${META}.Duration`:
      return `${toNumber(values.duration ?? 0) / 1e9}s`;
    case "k8s.io.apimachinery.pkg.api.resource.Quantity":
      return values.string;
    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
      return toNumber(values.type ?? 0) === 1 ? values.strVal : values.intVal;
    case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      return has("raw") ? JSON.parse(Buffer.from(values.raw as Uint8Array).toString("utf8")) : undefined;
    case `${META}.FieldsV1`:
      return has("Raw") ? JSON.parse(Buffer.from(values.Raw as Uint8Array).toString("utf8")) : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = values[field.name];
    if (!has(field.name) || value === null || value === undefined) continue;
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, jsonValue(field, v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length) out[field.name] = (value as unknown[]).map((v) => jsonValue(field, v));
    } else out[field.name] = jsonValue(field, value);
  }
  return out;
}

/** A protobuf body as the JSON object it encodes (400 without the envelope, 415 for a kind not in proto/). */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw badRequest("provided object is not a Kubernetes protobuf message (missing the k8s magic prefix)");
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = schema().lookupType("k8s.io.apimachinery.pkg.runtime.Unknown").decode(body.subarray(MAGIC.length)) as typeof envelope;
  } catch (error) {
    throw badRequest(`the object provided is unrecognized: ${(error as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? "";
  const kind = envelope.typeMeta?.kind ?? "";
  const type = typeFor(apiVersion, kind);
  if (!type) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the simulator reads protobuf bodies of core, apps, batch and policy v1 kinds only, not ${apiVersion} ${kind}; send JSON`,
    );
  }
  let message: protobuf.Message;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array());
  } catch (error) {
    throw badRequest(`the object provided is unrecognized: ${(error as Error).message}`);
  }
  return { apiVersion, kind, ...(messageJson(type, message) as Record<string, unknown>) };
}

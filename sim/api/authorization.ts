// Who is calling and what they may do, as kube-apiserver's token authenticator and RBAC authorizer
// answer it. The simulator's own bearer token (and its unauthenticated port, like the old
// --insecure-port) is in system:masters: everything is allowed. A ServiceAccount token comes from
// the TokenRequest API (POST .../serviceaccounts/<name>/token) and is authorized by the Roles,
// ClusterRoles and bindings stored in the simulator, rule by rule, with the bootstrap roles'
// discovery and health paths open to every authenticated user. Not modelled: ClusterRole
// aggregation, impersonation, SubjectAccessReview, the Node authorizer.
import { randomBytes, randomUUID } from "node:crypto";
import { ApiError, notFound } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { boolParam } from "./http-util";
import { fieldSetOf } from "./managed-fields";

export interface UserInfo {
  name: string;
  groups: string[];
}

export const MASTERS: UserInfo = { name: "system:admin", groups: ["system:masters", "system:authenticated"] };

/** What RBAC decides on (k8s.io/apiserver's RequestInfo). */
export interface RequestAttributes {
  resourceRequest: boolean;
  verb: string;
  path: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

interface RoleRef {
  kind?: string;
  name?: string;
}

/** system:discovery, system:basic-user and system:public-info-viewer, bound to system:authenticated. */
const BOOTSTRAP_RULES: PolicyRule[] = [
  {
    verbs: ["get"],
    nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*"],
  },
  { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
];

interface IssuedToken {
  user: UserInfo;
  namespace: string;
  serviceAccount: string;
  uid: string;
  expiresAt: number;
}

/** Bearer tokens: the simulator's own (masters) and the ServiceAccount tokens it issued. */
export class TokenAuthenticator {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly store: ObjectStore,
    private readonly adminToken: string,
  ) {}

  /** The caller of a request with this Authorization header, or undefined (401). */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    const match = /^Bearer (.+)$/i.exec(authorization ?? "");
    if (!match) return undefined;
    const token = match[1]!.trim();
    if (token === this.adminToken) return MASTERS;
    const issued = this.issued.get(token);
    if (!issued) return undefined;
    // A bound token dies with its ServiceAccount (a new one of the same name is another uid) and at its expiry.
    const account = this.store.get("core/serviceaccounts", issued.namespace, issued.serviceAccount);
    if (issued.expiresAt <= Date.now() || account?.metadata.uid !== issued.uid) {
      this.issued.delete(token);
      return undefined;
    }
    return issued.user;
  }

  /** The TokenRequest subresource's answer: a token for the ServiceAccount, valid `expirationSeconds`. */
  tokenRequest(namespace: string, name: string, body: Record<string, unknown>, manager: string): KubeObject {
    const account = this.store.get("core/serviceaccounts", namespace, name);
    if (!account) throw notFound("serviceaccounts", name);
    const spec = (body.spec ?? {}) as { audiences?: unknown; expirationSeconds?: unknown };
    const requested = typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : 3600;
    if (!Number.isInteger(requested) || requested < 600)
      throw new ApiError(
        422,
        "Invalid",
        `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${requested}: may not specify a duration less than 10 minutes`,
        {
          name,
          group: "authentication.k8s.io",
          kind: "TokenRequest",
          causes: [
            {
              reason: "FieldValueInvalid",
              message: `Invalid value: ${requested}: may not specify a duration less than 10 minutes`,
              field: "spec.expirationSeconds",
            },
          ],
        },
      );
    const expirationSeconds = requested;
    const token = `sim-sa.${randomBytes(24).toString("base64url")}`;
    const expiresAt = Date.now() + expirationSeconds * 1000;
    this.issued.set(token, {
      user: {
        name: `system:serviceaccount:${namespace}:${name}`,
        groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
      },
      namespace,
      serviceAccount: name,
      uid: account.metadata.uid ?? "",
      expiresAt,
    });
    const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : ["https://kubernetes.default.svc.cluster.local"];
    const created = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: {
        name,
        namespace,
        uid: randomUUID(),
        creationTimestamp: created,
        // The create handler's field manager records what the request set, under the subresource.
        managedFields: [
          {
            manager,
            operation: "Update",
            apiVersion: "authentication.k8s.io/v1",
            time: created,
            fieldsType: "FieldsV1",
            fieldsV1: fieldSetOf({ ...body, metadata: {} } as KubeObject),
            subresource: "token",
          },
        ],
      },
      spec: { audiences, expirationSeconds, boundObjectRef: null },
      status: { token, expirationTimestamp: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString().replace(".000Z", "Z") },
    } as unknown as KubeObject;
  }
}

const VERB_OF_METHOD: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete", GET: "get", HEAD: "get" };

/**
 * RequestInfo of a path, as the API server's RequestInfoFactory parses it: /api/v1/... and
 * /apis/<group>/<version>/... are resource requests (whether or not the resource is served),
 * everything else is a non-resource path.
 */
export function requestAttributes(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const segments = path.split("/").filter(Boolean);
  const nonResource: RequestAttributes = {
    resourceRequest: false,
    verb: (VERB_OF_METHOD[method] ?? method.toLowerCase()) as string,
    path,
    group: "",
    resource: "",
    subresource: "",
    namespace: "",
    name: "",
  };
  let group: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 3) {
    group = "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 4) {
    group = segments[1]!;
    rest = segments.slice(3);
  } else return nonResource;
  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length >= 2) {
    namespace = rest[1]!;
    // /namespaces/<name> and its subresources are the namespace itself.
    rest = rest.length === 2 || ["status", "finalize"].includes(rest[2]!) ? ["namespaces", ...rest.slice(1)] : rest.slice(2);
  }
  const [resource = "", name = "", subresource = ""] = rest;
  let verb = VERB_OF_METHOD[method] ?? method.toLowerCase();
  let effectiveName = name;
  if (method === "GET" || method === "HEAD") {
    if (!name) verb = watchPrefix || boolParam(query.get("watch")) ? "watch" : "list";
    else if (watchPrefix) verb = "watch";
    // A list or watch narrowed to one name by fieldSelector is authorized as that name.
    if (!name && (verb === "list" || verb === "watch")) {
      const byName = /(?:^|,)metadata\.name==?([^,]+)/.exec(query.get("fieldSelector") ?? "");
      if (byName) effectiveName = byName[1]!;
    }
  } else if (method === "DELETE" && !name) verb = "deletecollection";
  return { resourceRequest: true, verb, path, group, resource, subresource, namespace, name: effectiveName };
}

function includes(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes("*") || list.includes(value));
}

function resourceMatches(rule: PolicyRule, attributes: RequestAttributes): boolean {
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  return (rule.resources ?? []).some((r) => r === "*" || r === combined || (attributes.subresource !== "" && r === `*/${attributes.subresource}`));
}

function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  if (!includes(rule.verbs, attributes.verb)) return false;
  if (!attributes.resourceRequest) {
    return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === attributes.path || (u.endsWith("*") && attributes.path.startsWith(u.slice(0, -1))));
  }
  if (!includes(rule.apiGroups, attributes.group) || !resourceMatches(rule, attributes)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attributes.name);
}

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return subject.name === user.name;
    case "Group":
      return !!subject.name && user.groups.includes(subject.name);
    case "ServiceAccount":
      return user.name === `system:serviceaccount:${subject.namespace || bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

function rulesOf(object: KubeObject | undefined): PolicyRule[] {
  const rules = (object as { rules?: unknown } | undefined)?.rules;
  return Array.isArray(rules) ? (rules as PolicyRule[]) : [];
}

/** Whether RBAC (with the bootstrap discovery roles, and system:masters above it) allows the request. */
export function authorize(store: ObjectStore, user: UserInfo, attributes: RequestAttributes): boolean {
  if (user.groups.includes("system:masters")) return true;
  if (user.groups.includes("system:authenticated") && BOOTSTRAP_RULES.some((rule) => ruleAllows(rule, attributes))) return true;
  const granted = (binding: KubeObject, bindingNamespace: string): PolicyRule[] => {
    const { subjects, roleRef } = binding as { subjects?: Subject[]; roleRef?: RoleRef };
    if (!roleRef?.name || !(subjects ?? []).some((s) => subjectMatches(s, user, bindingNamespace))) return [];
    if (roleRef.kind === "ClusterRole") return rulesOf(store.get("rbac.authorization.k8s.io/clusterroles", undefined, roleRef.name));
    if (roleRef.kind === "Role" && bindingNamespace) return rulesOf(store.get("rbac.authorization.k8s.io/roles", bindingNamespace, roleRef.name));
    return [];
  };
  for (const binding of store.list("rbac.authorization.k8s.io/clusterrolebindings")) {
    if (granted(binding, "").some((rule) => ruleAllows(rule, attributes))) return true;
  }
  if (attributes.resourceRequest && attributes.namespace) {
    for (const binding of store.list("rbac.authorization.k8s.io/rolebindings", attributes.namespace)) {
      if (granted(binding, attributes.namespace).some((rule) => ruleAllows(rule, attributes))) return true;
    }
  }
  return false;
}

/** The 403 the API server answers a denied request with (responsewriters.Forbidden). */
export function forbidden(user: UserInfo, attributes: RequestAttributes): ApiError {
  if (!attributes.resourceRequest) {
    return new ApiError(403, "Forbidden", `forbidden: User "${user.name}" cannot ${attributes.verb} path "${attributes.path}"`, {});
  }
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const scope = attributes.namespace ? `in the namespace "${attributes.namespace}"` : "at the cluster scope";
  const why = `User "${user.name}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.group}" ${scope}`;
  const qualified = attributes.group ? `${attributes.resource}.${attributes.group}` : attributes.resource;
  const message = attributes.name ? `${qualified} "${attributes.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return new ApiError(403, "Forbidden", message, {
    ...(attributes.name ? { name: attributes.name } : {}),
    ...(attributes.group ? { group: attributes.group } : {}),
    kind: attributes.resource,
  });
}

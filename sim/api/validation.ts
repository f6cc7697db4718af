import type { IContainer, IPersistentVolumeClaimSpec, IPodSpec } from "kubernetes-models/v1";
import { forbidden, invalid, type StatusCause } from "../store/api-error";
import { podQuotaError } from "../controllers/quota-controller";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject, ResourceType } from "../store/types";
import { parseQuantity } from "./quantity";
import { matchesLabelSelector } from "./selectors";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const required = (field: string): StatusCause => ({ reason: "FieldValueRequired", message: "Required value", field });
const invalidValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${typeof value === "string" ? `"${value}"` : JSON.stringify(value)}: ${why}`,
  field,
});
const forbiddenField = (field: string, why: string): StatusCause => ({ reason: "FieldValueForbidden", message: `Forbidden: ${why}`, field });

function goMap(labels: Record<string, string> | undefined): string {
  return `map[string]string{${Object.entries(labels ?? {})
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(", ")}}`;
}

/** `spec` is what the client sent: the declared shape, checked here field by field. */
function validatePodSpec(spec: IPodSpec | undefined, field: string, causes: StatusCause[]): void {
  if (!spec || typeof spec !== "object") {
    causes.push(required(field));
    return;
  }
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${field}.containers`));
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c: IContainer, i: number) => {
    const f = `${field}.containers[${i}]`;
    if (!c || typeof c !== "object") return causes.push(required(f));
    if (!c.name) causes.push(required(`${f}.name`));
    else if (!DNS1123_LABEL.test(c.name))
      causes.push(
        invalidValue(
          `${f}.name`,
          c.name,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
    else if (seen.has(c.name)) causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: "${c.name}"`, field: `${f}.name` });
    if (c.name) seen.add(c.name);
    if (!c.image || typeof c.image !== "string" || !c.image.trim()) causes.push(required(`${f}.image`));
  });
}

function validateWorkload(obj: KubeObject, causes: StatusCause[], old?: KubeObject): void {
  const spec = obj.spec;
  if (!spec || typeof spec !== "object") {
    causes.push(required("spec"));
    return;
  }
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0))
    causes.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  const sel = spec.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
    causes.push(required("spec.selector"));
  }
  if (!spec.template) causes.push(required("spec.template"));
  else {
    const labels = spec.template.metadata?.labels;
    if (sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0) && !matchesLabelSelector(sel, labels)) {
      causes.push(invalidValue("spec.template.metadata.labels", goMap(labels), "`selector` does not match template `labels`"));
    }
    validatePodSpec(spec.template.spec, "spec.template.spec", causes);
  }
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(sel)) causes.push(invalidValue("spec.selector", sel, "field is immutable"));
}

const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value ?? "")}: supported values: ${supported.map((v) => `"${v}"`).join(", ")}`,
  field,
});

interface PolicyRuleBody {
  verbs?: unknown[];
  apiGroups?: unknown[];
  resources?: unknown[];
  resourceNames?: unknown[];
  nonResourceURLs?: unknown[];
}

/** RBAC's ValidatePolicyRule: verbs always; a rule is about resources or non-resource URLs, never both. */
function validatePolicyRules(rules: unknown, namespaced: boolean, causes: StatusCause[]): void {
  if (!Array.isArray(rules)) return;
  rules.forEach((rule: PolicyRuleBody, i) => {
    const f = `rules[${i}]`;
    const count = (list: unknown[] | undefined) => (Array.isArray(list) ? list.length : 0);
    if (count(rule?.verbs) === 0)
      causes.push({ reason: "FieldValueRequired", message: "Required value: verbs must contain at least one value", field: `${f}.verbs` });
    if (count(rule?.nonResourceURLs) > 0) {
      if (namespaced) causes.push(invalidValue(`${f}.nonResourceURLs`, rule.nonResourceURLs, "namespaced rules cannot apply to non-resource URLs"));
      if (count(rule.apiGroups) + count(rule.resources) + count(rule.resourceNames) > 0)
        causes.push(invalidValue(`${f}.nonResourceURLs`, rule.nonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"));
      return;
    }
    if (count(rule?.apiGroups) === 0)
      causes.push({ reason: "FieldValueRequired", message: "Required value: resource rules must supply at least one api group", field: `${f}.apiGroups` });
    if (count(rule?.resources) === 0)
      causes.push({ reason: "FieldValueRequired", message: "Required value: resource rules must supply at least one resource", field: `${f}.resources` });
  });
}

/** A binding's roleRef: to a Role or ClusterRole of rbac.authorization.k8s.io (ClusterRoleBindings: ClusterRoles only), never changed. */
function validateRoleRef(obj: KubeObject, kinds: string[], causes: StatusCause[], old?: KubeObject): void {
  const roleRef = (obj as { roleRef?: { apiGroup?: string; kind?: string; name?: string } }).roleRef ?? {};
  if (roleRef.apiGroup !== "rbac.authorization.k8s.io") causes.push(notSupported("roleRef.apiGroup", roleRef.apiGroup, ["rbac.authorization.k8s.io"]));
  if (!roleRef.kind || !kinds.includes(roleRef.kind)) causes.push(notSupported("roleRef.kind", roleRef.kind, kinds));
  if (!roleRef.name) causes.push(required("roleRef.name"));
  const before = (old as { roleRef?: unknown } | undefined)?.roleRef;
  if (old && JSON.stringify(before) !== JSON.stringify((obj as { roleRef?: unknown }).roleRef))
    causes.push(invalidValue("roleRef", roleRef, "cannot change roleRef"));
}

/** Field validation for the kinds whose rules clients hit (422 Invalid with causes). */
export function validateObject(resource: ResourceType, obj: KubeObject, old?: KubeObject): void {
  const causes: StatusCause[] = [];
  const key = `${resource.group || "core"}/${resource.plural}`;
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof v !== "string" || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      causes.push(
        invalidValue(
          `metadata.labels`,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) {
      causes.push(
        invalidValue(
          "metadata.labels",
          k,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (typeof v !== "string") causes.push(invalidValue(`metadata.annotations`, k, "annotation values must be strings"));
  }
  switch (key) {
    case "core/pods":
      validatePodSpec(obj.spec, "spec", causes);
      if (old) {
        const strip = (s: IPodSpec | undefined) =>
          JSON.stringify({ ...s, containers: (s?.containers ?? []).map((c) => ({ ...c, image: "" })), activeDeadlineSeconds: 0, tolerations: [] });
        if (strip(old.spec) !== strip(obj.spec))
          causes.push(
            forbiddenField(
              "spec",
              "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            ),
          );
      }
      break;
    case "apps/deployments":
    case "apps/replicasets":
    case "apps/statefulsets":
      validateWorkload(obj, causes, old);
      break;
    case "batch/jobs":
      if (!obj.spec?.template) causes.push(required("spec.template"));
      else validatePodSpec(obj.spec.template.spec, "spec.template.spec", causes);
      break;
    case "batch/cronjobs":
      if (!obj.spec?.schedule) causes.push(required("spec.schedule"));
      if (!obj.spec?.jobTemplate) causes.push(required("spec.jobTemplate"));
      break;
    case "core/persistentvolumeclaims": {
      if (!Array.isArray(obj.spec?.accessModes) || obj.spec.accessModes.length === 0)
        causes.push({ reason: "FieldValueRequired", message: "Required value: at least 1 access mode is required", field: "spec.accessModes" });
      const storage = obj.spec?.resources?.requests?.storage;
      if (storage === undefined) causes.push(required("spec.resources[storage]"));
      else if (Number.isNaN(parseQuantity(storage)))
        causes.push(
          invalidValue(
            "spec.resources.requests[storage]",
            storage,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          ),
        );
      if (old) {
        const newSize = parseQuantity(storage);
        const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
        if (newSize < oldSize) causes.push(forbiddenField("spec.resources.requests.storage", "field can not be less than previous value"));
        const rest = (s: IPersistentVolumeClaimSpec | undefined) =>
          JSON.stringify({ ...s, resources: undefined, volumeName: undefined, volumeAttributesClassName: undefined });
        if (rest(old.spec) !== rest(obj.spec))
          causes.push(forbiddenField("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
      }
      break;
    }
    case "policy/poddisruptionbudgets":
      if (obj.spec?.minAvailable !== undefined && obj.spec?.maxUnavailable !== undefined)
        causes.push(invalidValue("spec", obj.spec, "minAvailable and maxUnavailable cannot be both set"));
      break;
    case "rbac.authorization.k8s.io/roles":
    case "rbac.authorization.k8s.io/clusterroles":
      validatePolicyRules((obj as { rules?: unknown }).rules, key.endsWith("/roles"), causes);
      break;
    case "rbac.authorization.k8s.io/rolebindings":
      validateRoleRef(obj, ["Role", "ClusterRole"], causes, old);
      break;
    case "rbac.authorization.k8s.io/clusterrolebindings":
      validateRoleRef(obj, ["ClusterRole"], causes, old);
      break;
    case "core/services":
      if (!Array.isArray(obj.spec?.ports) || obj.spec.ports.length === 0) {
        if (obj.spec?.type !== "ExternalName" && obj.spec?.clusterIP !== "None") causes.push(required("spec.ports"));
      }
      if (old?.spec?.clusterIP && obj.spec?.clusterIP && old.spec.clusterIP !== obj.spec.clusterIP)
        causes.push(invalidValue("spec.clusterIPs[0]", obj.spec.clusterIP, "may not change once set"));
      break;
  }
  if (causes.length) throw invalid(resource.kind, obj.metadata.name, causes, resource.group);
}

/** Mutating/validating admission the simulator reproduces: DefaultStorageClass, PersistentVolumeClaimResize and ResourceQuota (pods). */
export function admit(store: ObjectStore, key: string, obj: KubeObject, old?: KubeObject): void {
  if (key === "core/pods" && !old) {
    const err = podQuotaError(store, obj);
    if (err) throw err;
    return;
  }
  if (key !== "core/persistentvolumeclaims") return;
  if (!old) {
    if (obj.spec && obj.spec.storageClassName === undefined) {
      const def = store.list("storage.k8s.io/storageclasses").find((sc) => sc.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
      if (def) obj.spec.storageClassName = def.metadata.name;
    }
    return;
  }
  const newSize = parseQuantity(obj.spec?.resources?.requests?.storage);
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
  if (!(newSize > oldSize)) return;
  if (old.status?.phase !== "Bound") return;
  const sc = old.spec?.storageClassName ? store.get("storage.k8s.io/storageclasses", undefined, old.spec.storageClassName) : undefined;
  if (!sc || sc.allowVolumeExpansion !== true) {
    throw forbidden(
      "persistentvolumeclaims",
      obj.metadata.name,
      "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
    );
  }
}

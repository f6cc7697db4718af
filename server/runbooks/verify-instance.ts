import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import { toKubeError } from "@/server/kube/kube-error";
import { deploymentExists, instanceOf, isReady, plural, podFailure } from "./instance";
import type { RunbookContext, RunbookDefinition } from "./runbook";

type Input = RunbookInput<"verify-instance">;

/** The path behind the tenant's Service that answers when Odoo is up (Odoo's own health route). */
export const ODOO_HEALTH_PATH = "web/health";

/** GET through the API server's service proxy to the Service `ref` ("name" or "name:port"). */
export function odooHealthProxyPath(namespace: string, ref: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(ref)}/proxy/${ODOO_HEALTH_PATH}`;
}

function serviceOf(context: RunbookContext) {
  const services = context.cluster.listForTenant("services", context.tenant.id);
  return services.find((s) => s.metadata.name === context.tenant.name) ?? services[0];
}

function ingressHosts(context: RunbookContext): string[] {
  return [...new Set(context.cluster.listForTenant("ingresses", context.tenant.id).flatMap((ingress) => ingress.spec.hosts))];
}

/**
 * Checks that an instance serves: the Deployment available, every pod Ready, an ingress host, and
 * Odoo's health endpoint answering through the API server's service proxy. It changes nothing; a
 * migration wave runs it after "start on Kubernetes" to record the tenant verified.
 *
 * Its plan is empty, so the engine's dry-run preview (dryRun=All) has nothing to send; the probe is
 * a read (a GET through the service proxy) and runs only after the run is confirmed.
 */
export const verifyInstance: RunbookDefinition<Input> = {
  id: "verify-instance",
  title: "Verify the instance",
  description:
    "Checks, without changing anything, that the instance is available, its pods are ready, it has an ingress host and Odoo's health endpoint answers.",
  scope: "tenant",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["verify-instance"],
  permission: () => "runbook:run",
  risk: () => "low",
  checkOnly: true,
  preconditions(_input, context) {
    const { deployment } = instanceOf(context);
    return [deploymentExists(deployment)];
  },
  plan: () => [],
  verify(_sent, context) {
    const { deployment, pods } = instanceOf(context);
    if (!deployment) return { done: true, ok: false, message: "The Deployment is gone." };
    const failure = pods.map(podFailure).find(Boolean);
    if (failure) return { done: true, ok: false, message: `The instance is not healthy. ${failure}.` };
    const replicas = deployment.spec.replicas;
    if (replicas === 0) return { done: true, ok: false, message: "The instance is stopped (0 replicas)." };
    const ready = pods.filter(isReady).length;
    if (ready < replicas || deployment.status.availableReplicas < replicas) {
      return { done: false, progress: `${ready} of ${replicas} pods ready, ${deployment.status.availableReplicas} available.` };
    }
    if (ingressHosts(context).length === 0) return { done: true, ok: false, message: "The instance has no ingress host: nobody can reach it." };
    if (!serviceOf(context)) return { done: true, ok: false, message: "The instance has no Service." };
    return { done: true, ok: true, message: `${plural(ready, "pod")} ready and available; ingress ${ingressHosts(context).join(", ")}.` };
  },
  verifyTimeoutMs: 3 * 60_000,
  async probe(_sent, context) {
    const service = serviceOf(context);
    if (!service) return { done: true, ok: false, message: "The instance has no Service." };
    const port = service.spec.ports[0];
    const ref = port ? `${service.metadata.name}:${port.name ?? port.port}` : service.metadata.name;
    try {
      await context.source.getObject(odooHealthProxyPath(context.namespace, ref), { signal: context.signal, timeoutMs: 10_000 });
      return { done: true, ok: true, message: `Odoo's health endpoint answers through the service proxy (${service.metadata.name}).` };
    } catch (error) {
      return { done: true, ok: false, message: `Odoo's health endpoint does not answer through the service proxy: ${toKubeError(error).message}` };
    }
  },
};

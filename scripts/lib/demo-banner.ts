// What `npm run demo` prints once the portal answers: where it runs, the demo sign-ins, where its
// log goes, and either the simulated cluster or, for a cluster from KUBECONFIG, how to import the
// tenant registry (no demo registry is imported then).

export const DEMO_SIGN_INS: readonly [email: string, what: string][] = [
  ["admin@fleetdeck.local", "admin: everything, manages users and service tokens"],
  ["approver@fleetdeck.local", "admin: a second person to approve high-risk runs"],
  ["operator@fleetdeck.local", "operator: fleet, tenants, logs, runbooks, runs waves"],
  ["pm@fleetdeck.local", "pm: fleet, tenants, the migration checklist and waves"],
  ["viewer@fleetdeck.local", "viewer: read-only fleet, tenants and migration"],
];

export interface DemoBannerInput {
  portalUrl: string;
  /** The portal's log file, as shown to the user. */
  portalLog: string;
  simulator?: { url: string; portalKubeconfig: string; kubectlUrl?: string };
  /** `--cluster real`: the test control plane, with the demo registry imported. */
  realCluster?: { server: string; portalKubeconfig: string; kubectl: string };
}

export function demoBanner({ portalUrl, portalLog, simulator, realCluster }: DemoBannerInput): string[] {
  const rule = "─".repeat(64);
  const lines = [rule, `  Fleetdeck is running at ${portalUrl}`, "", "  Demo sign-ins (password: fleetdeck-demo)"];
  for (const [email, what] of DEMO_SIGN_INS) lines.push(`    ${email.padEnd(28)} ${what}`);
  lines.push("", `  Portal log:        ${portalLog} (also printed here, prefixed [portal])`);
  if (simulator) {
    lines.push("", `  Simulated cluster: ${simulator.url} (the portal's kubeconfig: ${simulator.portalKubeconfig}, its ServiceAccount)`);
    if (simulator.kubectlUrl) lines.push(`  kubectl:           kubectl --server ${simulator.kubectlUrl} get pods -A`);
  } else if (realCluster) {
    lines.push("", `  Real control plane: ${realCluster.server} (the portal's kubeconfig: ${realCluster.portalKubeconfig}, its ServiceAccount)`);
    lines.push(`  kubectl:            ${realCluster.kubectl} get pods -A`);
  } else {
    lines.push(
      "",
      "  The cluster comes from KUBECONFIG, so no demo registry was imported. Import your tenant registry",
      `  (the instance service's CSV or JSON export) as admin on ${portalUrl}/registry, or, with the`,
      "  demo stopped: npm run registry:import -- <export.csv|export.json>",
    );
  }
  lines.push("", "  Press Ctrl-C to stop.", rule);
  return lines;
}

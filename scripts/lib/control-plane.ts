// A real Kubernetes control plane on 127.0.0.1 for tests and `npm run cluster` (issue 13):
// etcd, kube-apiserver (TLS, client-certificate and token authentication, Node+RBAC), the
// controller manager, the scheduler and kwok's fake nodes. The binaries are built once from the
// Go module in controlplane/ into a cache outside the repository, keyed by what decides them
// (go.mod, go.sum, the Go version and the build flags), so a second start takes seconds.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join, resolve } from "node:path";
import YAML from "yaml";

import { buildGoTools, goToolCache, type GoToolBuild, type GoToolModule } from "./go-tools";
import { KubeApi } from "./kube-api";
import { KubeletFront, NODE_ADDRESS_PREFIX, PodLogFiles } from "./kubelet-front";
import { populateFleet, type FleetOptions, type PopulatedFleet } from "./real-fleet";
import { dataDirOf, freePort, repoRoot } from "./stack";
import { VolumeProvisioner } from "./volume-provisioner";

const goModuleDir = join(repoRoot, "controlplane");
const stagesFile = join(goModuleDir, "kwok/stages.yaml");
/** The binaries `go build … tool` makes, by the name they are started with. */
const BINARIES = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "etcd", "kwok"] as const;
type Binary = (typeof BINARIES)[number];
/** The annotation kwok is told to manage nodes by (kwok's own convention). */
const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
/** The address a node advertises (read by the node-ready Stage), reached through the kubelet front. */
const NODE_ADDRESS_ANNOTATION = "fleetdeck.test/node-ip";

export function kubernetesVersion(): string {
  const match = /^\s*k8s\.io\/kubernetes v(\S+)/m.exec(readFileSync(join(goModuleDir, "go.mod"), "utf8"));
  if (!match) throw new Error("controlplane/go.mod does not require k8s.io/kubernetes");
  return match[1];
}

function buildFlags(version: string): string[] {
  const [major, minor] = version.split(".");
  // Without these the servers report v0.0.0-master, which clients print and warn about.
  const versionVars = { gitVersion: `v${version}`, gitMajor: major, gitMinor: minor, gitTreeState: "clean" };
  const ldflags = ["-s", "-w", ...Object.entries(versionVars).map(([name, value]) => `-X k8s.io/component-base/version.${name}=${value}`)];
  return ["-trimpath", "-buildvcs=false", `-ldflags=${ldflags.join(" ")}`];
}

export type ControlPlaneBuild = GoToolBuild;

function controlPlaneModule(): GoToolModule {
  const version = kubernetesVersion();
  return {
    dir: goModuleDir,
    title: "the control plane",
    keyPrefix: `k8s-v${version}`,
    binaries: BINARIES,
    buildFlags: buildFlags(version),
    // `go build` names a main package after its import path without the major-version suffix:
    // go.etcd.io/etcd/server/v3 becomes `server`.
    renames: { server: "etcd" },
  };
}

/** `<goToolCacheRoot()>/<key>/bin` (go-tools.ts), the key naming the Kubernetes version. */
export function controlPlaneCache(env: NodeJS.ProcessEnv = process.env): { key: string; binDir: string } {
  return goToolCache(controlPlaneModule(), env);
}

/** Builds the binaries unless the cache has them. CPU-heavy (about ten minutes on two busy cores), so under `nice`. */
export function buildControlPlane(log: (line: string) => void = defaultLog): Promise<ControlPlaneBuild> {
  return buildGoTools(controlPlaneModule(), log, 'the first build takes long (see README, "Real control plane"); later starts reuse it');
}

export interface ControlPlaneOptions {
  /** Certificates, etcd data, kubeconfigs and logs. Emptied at start. Default `cluster/` in the data dir (`.data/`). */
  stateDir?: string;
  /** kwok nodes to create (default 3). */
  nodes?: number;
  /**
   * How often the API server compacts etcd (default 30s; a real cluster's is 5m). Short, so that a
   * watch that reaches etcd (watch cache off, or the cache's history left behind) from an older
   * resourceVersion is answered 410 Gone.
   */
  etcdCompactionInterval?: string;
  /**
   * The API server's watch cache (default on, as on every real cluster). It serves watches from
   * its own history, so a watch from a compacted resourceVersion still replays as long as the
   * cache holds it; off, every watch reads etcd and the compaction interval alone decides.
   */
  watchCache?: boolean;
  /**
   * The test-only volume provisioner and resizer (volume-provisioner.ts) with the fleet's
   * StorageClasses (default on).
   */
  volumeProvisioner?: boolean;
  /**
   * A tenant fleet from sim/fleet's plan to populate once the control plane is up (real-fleet.ts):
   * a scenario name ("demo": 40 tenants) or its options. Needs the volume provisioner.
   */
  fleet?: FleetOptions["scenario"] | FleetOptions;
  /** Progress lines (default: stdout with a `[cluster]` prefix). */
  log?: (line: string) => void;
  /** Called when a component exits once the control plane is up (during the start, startControlPlane rejects instead). */
  onComponentExit?: (component: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** system:masters by client certificate. */
  adminKubeconfig: string;
  /** The portal's ServiceAccount (fleetdeck/fleetdeck) by a TokenRequest token: exactly server/kube/rbac.yaml's roles. */
  portalKubeconfig: string;
  /** A static bearer token (--token-auth-file) in system:masters, for raw HTTP. */
  adminToken: string;
  portalToken: string;
  caFile: string;
  stateDir: string;
  logsDir: string;
  binDir: string;
  /** JSON requests as the admin (system:masters). */
  api: KubeApi;
  /** The container log files the kubelet front serves (`pods/log`). */
  podLogs: PodLogFiles;
  /** Node names, in order. */
  nodes: string[];
  /** The populated fleet (its plan and registry export), when `fleet` was asked for. */
  fleet?: PopulatedFleet;
  /** Runs the built kubectl (admin kubeconfig unless given one). */
  kubectl(args: string[], options?: { kubeconfig?: string; input?: string }): { status: number | null; stdout: string; stderr: string };
  /** Stops only the API server (the others keep trying to reach it), for tests of a server that goes away. */
  stopApiServer(): Promise<void>;
  /** Starts it again on the same port over the same etcd; resolves once it is ready. */
  startApiServer(): Promise<void>;
  /**
   * Freezes the API server (SIGSTOP): its connections stay open and nothing answers, as with a
   * hung server or a peer gone without closing. `resumeApiServer()` (SIGCONT) lets it go on.
   */
  pauseApiServer(): void;
  resumeApiServer(): void;
  /** Stops every component (kwok first, etcd last) and waits for them. */
  stop(): Promise<void>;
}

function defaultLog(line: string) {
  console.log(`[cluster] ${line}`);
}

interface Component {
  name: string;
  binary: Binary;
  args: string[];
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  logFile: string;
  exited: boolean;
  /** Stopped on purpose (stop() or a test's stopApiServer()), so its exit is no failure. */
  stopRequested: boolean;
}

/** Starts the binaries, stops them all on failure too, and kills them if this process exits without stop(). */
class Components {
  private readonly list: Component[] = [];
  /** Off while starting: then the wait that notices an exit throws, with the component's log. */
  private reportingExits = false;
  private readonly killAll = () => {
    for (const component of this.list) if (!component.exited) component.child.kill("SIGKILL");
  };

  constructor(
    private readonly binDir: string,
    private readonly logsDir: string,
    private readonly onExit?: ControlPlaneOptions["onComponentExit"],
  ) {
    process.once("exit", this.killAll);
  }

  start(name: string, binary: Binary, args: string[], env: NodeJS.ProcessEnv = process.env): Component {
    const component = { name, binary, args, env, logFile: join(this.logsDir, `${name}.log`) } as Component;
    this.spawn(component);
    this.list.push(component);
    return component;
  }

  /** Starts a stopped component again with the same arguments (same ports, same data); its log goes on. */
  restart(component: Component): void {
    if (!component.exited) throw new Error(`${component.name} is still running`);
    this.spawn(component);
  }

  private spawn(component: Component): void {
    const out = createWriteStream(component.logFile, { flags: "a" });
    const child = spawn(join(this.binDir, component.binary), component.args, { env: component.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    Object.assign(component, { child, exited: false, stopRequested: false });
    child.once("error", (error) => out.write(`\n[cluster] ${component.name} could not start: ${error.message}\n`));
    child.once("exit", (code, signal) => {
      component.exited = true;
      out.end();
      if (this.reportingExits && !component.stopRequested) this.onExit?.(component.name, code, signal);
    });
  }

  reportExits(): void {
    this.reportingExits = true;
  }

  async stopAll(): Promise<void> {
    for (const component of [...this.list].reverse()) await stopComponent(component);
    process.off("exit", this.killAll);
  }
}

function stopComponent(component: Component, timeoutMs = 10_000): Promise<void> {
  component.stopRequested = true;
  const { child } = component;
  return new Promise((done) => {
    if (component.exited || child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    // A paused component (pauseApiServer) would only act on SIGTERM once continued.
    child.kill("SIGCONT");
    child.kill("SIGTERM");
  });
}

function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return "(no log)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** Polls `check` until it returns a value; fails early, with the component's log, when it exits. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, component?: Component, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    if (component?.exited) throw new Error(`${component.name} exited while waiting for ${what}:\n${logTail(component.logFile)}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const detail = component ? `\n${component.name}'s log:\n${logTail(component.logFile)}` : "";
      throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}${detail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Credentials {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

interface ApiResponse {
  status: number;
  body: string;
}

function httpsRequest(url: string, credentials: Credentials, method = "GET", body?: unknown): Promise<ApiResponse> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) headers["content-type"] = "application/json";
    const req = request(url, { method, headers, ca: credentials.ca, cert: credentials.cert, key: credentials.key, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", fail);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", fail);
    req.end(payload);
  });
}

/** openssl, one call per step; ECDSA P-256 keys because they take milliseconds to make. */
class Pki {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(name: string) {
    return join(this.dir, name);
  }

  private openssl(args: string[]) {
    const result = spawnSync("openssl", args, { cwd: this.dir, encoding: "utf8" });
    if (result.error || result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.error?.message ?? result.stderr}`);
  }

  private newKey(name: string) {
    this.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", `${name}.key`]);
  }

  createCa(name: string): void {
    this.newKey(name);
    this.openssl([
      "req", "-x509", "-new", "-key", `${name}.key`, "-out", `${name}.crt`, "-days", "3650", "-subj", `/CN=fleetdeck-test-${name}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
    ]); // prettier-ignore
  }

  /** A leaf certificate signed by `ca`: `subject` like `/O=system:masters/CN=admin`; `sans` makes it a serving certificate. */
  issue(name: string, subject: string, { sans, ca = "ca" }: { sans?: string[]; ca?: string } = {}): void {
    this.newKey(name);
    this.openssl(["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
    const extensions = [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      sans ? "extendedKeyUsage=serverAuth" : "extendedKeyUsage=clientAuth",
      ...(sans ? [`subjectAltName=${sans.join(",")}`] : []),
    ];
    writeFileSync(this.path(`${name}.ext`), `${extensions.join("\n")}\n`);
    this.openssl([
      "x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "365",
      "-extfile", `${name}.ext`, "-out", `${name}.crt`,
    ]); // prettier-ignore
  }

  /** The key pair the API server signs ServiceAccount tokens with (and verifies them by). */
  createServiceAccountKeys(): void {
    this.newKey("service-account");
    this.openssl(["pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub"]);
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }
}

function writeKubeconfig(file: string, server: string, ca: Buffer, user: string, credentials: Record<string, string>): void {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "fleetdeck-test", cluster: { server, "certificate-authority-data": ca.toString("base64") } }],
    users: [{ name: user, user: credentials }],
    contexts: [{ name: user, context: { cluster: "fleetdeck-test", user } }],
    "current-context": user,
  };
  writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Builds (if needed) and starts the control plane; resolves once nodes are Ready and both kubeconfigs work. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? defaultLog;
  const { binDir } = await buildControlPlane(log);
  const stateDir = resolve(options.stateDir ?? join(dataDirOf(process.env), "cluster"));
  // Emptied at every start, so only a folder this made before (or an empty one) is taken.
  const marker = join(stateDir, ".fleetdeck-control-plane");
  if (existsSync(stateDir) && readdirSync(stateDir).length > 0 && !existsSync(marker)) {
    throw new Error(`${stateDir} is not empty and holds no earlier control plane; choose another state directory`);
  }
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(marker, "State of scripts/lib/control-plane.ts, emptied at every start.\n");
  const logsDir = join(stateDir, "logs");
  const kwokHome = join(stateDir, "kwok-home");
  for (const dir of [logsDir, kwokHome, join(stateDir, "etcd")]) mkdirSync(dir, { recursive: true });
  const components = new Components(binDir, logsDir, options.onComponentExit);
  /** What runs in this process next to the binaries (kubelet front, provisioner), stopped first. */
  const onStop: (() => Promise<void>)[] = [];
  try {
    return await startComponents({ ...options, log, binDir, stateDir, logsDir, kwokHome, components, onStop });
  } catch (error) {
    for (const stop of onStop.reverse()) await stop().catch(() => {});
    await components.stopAll();
    throw error;
  }
}

async function startComponents(
  context: ControlPlaneOptions & {
    log: (line: string) => void;
    binDir: string;
    stateDir: string;
    logsDir: string;
    kwokHome: string;
    components: Components;
    onStop: (() => Promise<void>)[];
  },
): Promise<ControlPlane> {
  const { log, binDir, stateDir, logsDir, kwokHome, components } = context;
  const started = Date.now();
  const [etcdPort, etcdPeerPort, apiPort, controllerManagerPort, schedulerPort, kwokPort] = await distinctFreePorts(6);
  const server = `https://127.0.0.1:${apiPort}`;

  const pki = new Pki(join(stateDir, "pki"));
  pki.createCa("ca");
  // The aggregation layer's own CA, as kubeadm keeps it: whoever holds a certificate from it can
  // assert any user in X-Remote-User, so it must not be the client CA.
  pki.createCa("front-proxy-ca");
  pki.issue("front-proxy-client", "/CN=front-proxy-client", { ca: "front-proxy-ca" });
  const apiSans = ["IP:127.0.0.1", "IP:10.96.0.1", "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc"];
  pki.issue("apiserver", "/CN=kube-apiserver", { sans: [...apiSans, "DNS:kubernetes.default.svc.cluster.local"] });
  pki.issue("apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client");
  pki.issue("admin", "/O=system:masters/CN=fleetdeck-admin");
  pki.issue("controller-manager", "/CN=system:kube-controller-manager");
  pki.issue("scheduler", "/CN=system:kube-scheduler");
  // kwok plays every node's kubelet, which the Node authorizer would confine to one node each.
  pki.issue("kwok", "/O=system:masters/CN=fleetdeck-kwok");
  // The controller manager's, the scheduler's and kwok's (the kubelets') HTTPS endpoints.
  pki.issue("loopback-serving", "/CN=fleetdeck-loopback", { sans: ["IP:127.0.0.1", "DNS:localhost"] });
  pki.createServiceAccountKeys();
  const ca = pki.read("ca.crt");
  const caFile = pki.path("ca.crt");

  const adminToken = randomBytes(24).toString("hex");
  // --token-auth-file: token,user,uid,"group,…"
  writeFileSync(join(stateDir, "tokens.csv"), `${adminToken},fleetdeck-admin-token,fleetdeck-admin-token,"system:masters"\n`, { mode: 0o600 });
  const certKubeconfig = (name: string) => {
    const file = join(stateDir, `${name}.kubeconfig`);
    writeKubeconfig(file, server, ca, name, {
      "client-certificate-data": pki.read(`${name}.crt`).toString("base64"),
      "client-key-data": pki.read(`${name}.key`).toString("base64"),
    });
    return file;
  };
  const adminKubeconfig = certKubeconfig("admin");
  const controllerManagerKubeconfig = certKubeconfig("controller-manager");
  const schedulerKubeconfig = certKubeconfig("scheduler");
  const kwokKubeconfig = certKubeconfig("kwok");
  const admin: Credentials = { ca, cert: pki.read("admin.crt"), key: pki.read("admin.key") };
  const api = (method: string, path: string, body?: unknown) => httpsRequest(`${server}${path}`, admin, method, body);

  // Kubelet traffic (logs, nodes/proxy) goes through the kubelet front on a Unix socket (see kubelet-front.ts).
  const egressSocket = join(stateDir, "kubelet-egress.sock");
  const egressConfig = join(stateDir, "egress-selector.yaml");
  writeFileSync(
    egressConfig,
    YAML.stringify({
      apiVersion: "apiserver.k8s.io/v1beta1",
      kind: "EgressSelectorConfiguration",
      egressSelections: [{ name: "cluster", connection: { proxyProtocol: "HTTPConnect", transport: { uds: { udsName: egressSocket } } } }],
    }),
  );
  const podLogs = new PodLogFiles(join(stateDir, "pod-logs"));
  const front = new KubeletFront({
    socketPath: egressSocket,
    tls: { key: pki.read("loopback-serving.key"), cert: pki.read("loopback-serving.crt") },
    kwok: { host: "127.0.0.1", port: kwokPort },
    logs: podLogs,
    apiGet: async (path) => api("GET", path),
  });
  await front.listen();
  context.onStop.push(() => front.close());

  const etcdPeer = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = components.start("etcd", "etcd", [
    "--name=fleetdeck",
    `--data-dir=${join(stateDir, "etcd")}`,
    `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
    `--listen-peer-urls=${etcdPeer}`,
    `--initial-advertise-peer-urls=${etcdPeer}`,
    `--initial-cluster=fleetdeck=${etcdPeer}`,
    // Test data: losing it in a machine crash is fine, waiting for fsync on every write is not.
    "--unsafe-no-fsync=true",
    "--log-level=warn",
  ]);
  await waitFor(
    "etcd to be healthy",
    async () => {
      const response = await fetch(`http://127.0.0.1:${etcdPort}/health`);
      return response.ok && ((await response.json()) as { health?: string }).health === "true" ? true : undefined;
    },
    etcd,
  );
  log(`etcd ready on 127.0.0.1:${etcdPort}`);

  const apiserver = components.start("kube-apiserver", "kube-apiserver", [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--etcd-compaction-interval=${context.etcdCompactionInterval ?? "30s"}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${apiPort}`,
    `--tls-cert-file=${pki.path("apiserver.crt")}`,
    `--tls-private-key-file=${pki.path("apiserver.key")}`,
    `--client-ca-file=${caFile}`,
    `--token-auth-file=${join(stateDir, "tokens.csv")}`,
    "--authorization-mode=Node,RBAC",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.path("service-account.pub")}`,
    `--service-account-signing-key-file=${pki.path("service-account.key")}`,
    "--service-cluster-ip-range=10.96.0.0/16",
    // The `kubernetes` Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
    "--endpoint-reconciler-type=none",
    `--kubelet-client-certificate=${pki.path("apiserver-kubelet-client.crt")}`,
    `--kubelet-client-key=${pki.path("apiserver-kubelet-client.key")}`,
    "--kubelet-preferred-address-types=InternalIP",
    `--egress-selector-config-file=${egressConfig}`,
    `--requestheader-client-ca-file=${pki.path("front-proxy-ca.crt")}`,
    "--requestheader-allowed-names=front-proxy-client",
    "--requestheader-username-headers=X-Remote-User",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    `--proxy-client-cert-file=${pki.path("front-proxy-client.crt")}`,
    `--proxy-client-key-file=${pki.path("front-proxy-client.key")}`,
    ...(context.watchCache === false ? ["--watch-cache=false"] : []),
    "--allow-privileged=true",
    "--profiling=false",
  ]);
  const apiServerReady = () =>
    waitFor("the API server to be ready (/readyz)", async () => ((await api("GET", "/readyz")).status === 200 ? true : undefined), apiserver);
  await apiServerReady();
  log(`kube-apiserver ready at ${server}`);

  const loopbackServing = [`--tls-cert-file=${pki.path("loopback-serving.crt")}`, `--tls-private-key-file=${pki.path("loopback-serving.key")}`];
  const serverAuth = (kubeconfig: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
  ];
  const controllerManager = components.start("kube-controller-manager", "kube-controller-manager", [
    ...serverAuth(controllerManagerKubeconfig),
    ...loopbackServing,
    "--bind-address=127.0.0.1",
    `--secure-port=${controllerManagerPort}`,
    "--leader-elect=false",
    // Each controller under its own ServiceAccount, as kubeadm runs them, so RBAC applies to them too.
    "--use-service-account-credentials=true",
    `--service-account-private-key-file=${pki.path("service-account.key")}`,
    `--root-ca-file=${caFile}`,
    `--cluster-signing-cert-file=${caFile}`,
    `--cluster-signing-key-file=${pki.path("ca.key")}`,
    "--cluster-name=fleetdeck-test",
  ]);
  const scheduler = components.start("kube-scheduler", "kube-scheduler", [
    ...serverAuth(schedulerKubeconfig),
    ...loopbackServing,
    "--bind-address=127.0.0.1",
    `--secure-port=${schedulerPort}`,
    "--leader-elect=false",
  ]);
  // HOME keeps kwok from also loading a ~/.kwok/kwok.yaml of whoever runs this.
  const kwok = components.start(
    "kwok",
    "kwok",
    [
      `--kubeconfig=${kwokKubeconfig}`,
      `--config=${stagesFile}`,
      "--manage-all-nodes=false",
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      "--node-ip=127.0.0.1",
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      ...loopbackServing,
      "--cidr=10.244.0.0/16",
      "--node-lease-duration-seconds=40",
    ],
    { ...process.env, HOME: kwokHome },
  );

  const kubectl: ControlPlane["kubectl"] = (args, kubectlOptions = {}) => {
    const result = spawnSync(
      join(binDir, "kubectl"),
      [`--kubeconfig=${kubectlOptions.kubeconfig ?? adminKubeconfig}`, `--cache-dir=${join(stateDir, "kubectl-cache")}`, ...args],
      { encoding: "utf8", input: kubectlOptions.input },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  const applied = kubectl(["apply", "-f", join(repoRoot, "server/kube/rbac.yaml")]);
  if (applied.status !== 0) throw new Error(`kubectl apply -f server/kube/rbac.yaml failed:\n${applied.stderr}`);
  log("server/kube/rbac.yaml applied");

  const nodeNames = Array.from({ length: context.nodes ?? 3 }, (_, index) => `kwok-node-${index + 1}`);
  for (const name of nodeNames) {
    const resources = { cpu: "8", memory: "32Gi", pods: "110", "ephemeral-storage": "100Gi" };
    const created = await api("POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        annotations: {
          [KWOK_NODE_ANNOTATION]: "fake",
          [NODE_ADDRESS_ANNOTATION]: `${NODE_ADDRESS_PREFIX}${nodeNames.indexOf(name) + 1}`,
          "node.alpha.kubernetes.io/ttl": "0",
        },
        labels: { type: "kwok", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
      },
      // No kwok taint: the portal's tenants are ordinary pods and should land on these nodes.
      spec: {},
      status: { allocatable: resources, capacity: resources },
    });
    if (created.status !== 201) throw new Error(`creating node ${name} failed: ${created.status} ${created.body}`);
  }
  await waitFor(
    `kwok to report ${nodeNames.join(", ")} Ready`,
    async () => {
      const nodes = JSON.parse((await api("GET", "/api/v1/nodes")).body) as {
        items: { spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } }[];
      };
      const ready = nodes.items.filter(
        (node) =>
          node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") &&
          // The node lifecycle controller lifts the not-ready taint once it sees the node Ready.
          !node.spec?.taints?.some((taint) => taint.key === "node.kubernetes.io/not-ready"),
      );
      return ready.length === nodeNames.length ? true : undefined;
    },
    kwok,
  );
  log(`${nodeNames.length} kwok nodes Ready`);

  // The ServiceAccount controller (in the controller manager) makes every namespace's `default`.
  await waitFor(
    "the controller manager to create the default ServiceAccount",
    async () => ((await api("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200 ? true : undefined),
    controllerManager,
  );
  await waitFor(
    "the scheduler to be healthy",
    async () => ((await httpsRequest(`https://127.0.0.1:${schedulerPort}/healthz`, { ca })).status === 200 ? true : undefined),
    scheduler,
  );

  const tokenRequest = await api("POST", "/api/v1/namespaces/fleetdeck/serviceaccounts/fleetdeck/token", {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds: 7 * 24 * 3600 },
  });
  if (tokenRequest.status !== 201) throw new Error(`TokenRequest for fleetdeck/fleetdeck failed: ${tokenRequest.status} ${tokenRequest.body}`);
  const portalToken = (JSON.parse(tokenRequest.body) as { status: { token: string } }).status.token;
  const portalKubeconfig = join(stateDir, "portal.kubeconfig");
  writeKubeconfig(portalKubeconfig, server, ca, "fleetdeck-portal", { token: portalToken });
  const adminApi = new KubeApi({ server, ca, cert: admin.cert, key: admin.key });
  if (context.volumeProvisioner !== false) {
    const provisioner = new VolumeProvisioner({ api: adminApi, log });
    context.onStop.push(async () => provisioner.stop());
    await provisioner.start();
    log("volume provisioner started (StorageClasses ceph-rbd, local-path, ceph-rbd-capped)");
  }
  let fleet: PopulatedFleet | undefined;
  if (context.fleet) {
    const fleetOptions = typeof context.fleet === "string" ? { scenario: context.fleet } : context.fleet;
    fleet = await populateFleet({ api: adminApi, podLogs }, { log, ...fleetOptions });
    context.onStop.push(async () => fleet!.stop());
  }
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
  components.reportExits();
  const stopExtras = async () => {
    for (const stop of context.onStop.splice(0).reverse()) await stop();
  };

  return {
    server,
    adminKubeconfig,
    portalKubeconfig,
    adminToken,
    portalToken,
    caFile,
    stateDir,
    logsDir,
    binDir,
    kubectl,
    stopApiServer: () => stopComponent(apiserver),
    startApiServer: async () => {
      components.restart(apiserver);
      await apiServerReady();
    },
    pauseApiServer: () => {
      apiserver.child.kill("SIGSTOP");
    },
    resumeApiServer: () => {
      apiserver.child.kill("SIGCONT");
    },
    api: adminApi,
    podLogs,
    nodes: nodeNames,
    fleet,
    stop: async () => {
      await stopExtras();
      await components.stopAll();
    },
  };
}

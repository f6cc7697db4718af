// Resident memory read from /proc, the way `ps` and the kernel's OOM killer see it. Linux only: the
// benchmarks run on the project's Linux machines; elsewhere the figures are reported as unavailable.
import { existsSync, readdirSync, readFileSync } from "node:fs";

export interface ProcessMemory {
  pid: number;
  command: string;
  /** Current resident set, bytes. */
  rssBytes: number;
  /** Peak resident set since the process started (VmHWM), bytes. */
  peakRssBytes: number;
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function readProcessMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, command, rssBytes: statusField(status, "VmRSS"), peakRssBytes: statusField(status, "VmHWM") };
  } catch {
    return undefined; // exited between listing and reading
  }
}

/** Direct children, from every thread's `children` file (a child belongs to the thread that forked it). */
export function childPids(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  const children = new Set<number>();
  for (const task of readdirSync(tasks)) {
    try {
      for (const child of readFileSync(`${tasks}/${task}/children`, "utf8").split(/\s+/).filter(Boolean)) children.add(Number(child));
    } catch {
      // thread ended while listing
    }
  }
  return [...children];
}

/** The process and all its descendants, parents first. */
export function processTree(rootPid: number): number[] {
  const pids: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (!existsSync(`/proc/${pid}`)) continue;
    pids.push(pid);
    queue.push(...childPids(pid));
  }
  return pids;
}

export function treeMemory(rootPid: number): { processes: ProcessMemory[]; rssBytes: number } {
  const processes = processTree(rootPid)
    .map(readProcessMemory)
    .filter((entry): entry is ProcessMemory => entry !== undefined);
  return { processes, rssBytes: processes.reduce((sum, entry) => sum + entry.rssBytes, 0) };
}

/**
 * Samples a process tree's summed RSS in the background, so the report can give the peak under
 * load and not only a reading taken when things were calm.
 */
export class TreeMemorySampler {
  peakBytes = 0;
  lastBytes = 0;
  /** Every pid seen in the tree, so clean-up can reach a grandchild its parent left behind. */
  readonly seenPids = new Map<number, string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 250,
  ) {}

  sample(): number {
    const { processes, rssBytes } = treeMemory(this.rootPid);
    for (const entry of processes) this.seenPids.set(entry.pid, entry.command);
    this.lastBytes = rssBytes;
    this.peakBytes = Math.max(this.peakBytes, rssBytes);
    return rssBytes;
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Kills, by pid, any process recorded earlier that is still the same program and still alive. */
export function killLeftovers(seen: Map<number, string>): number[] {
  const killed: number[] = [];
  for (const [pid, command] of seen) {
    const now = readProcessMemory(pid);
    if (!now || now.command !== command) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

/** Decimal megabytes, as the issues state their memory targets ("600 MB", "1.5 GB"). */
export const megabytes = (bytes: number) => bytes / 1_000_000;

/** CPU time (user + system) a process has used so far, in seconds; clock ticks are 1/100 s on Linux. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by a process and all its living descendants (a `next start` or tsx tree). */
export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}

/** A PostgreSQL server's backends serving database `name` ("postgres: 15/main: <role> <name> 127.0.0.1(…) idle"). */
export function postgresBackendsOf(name: string): RegExp {
  return new RegExp(`^postgres: \\S+: \\S+ ${name.replace(/[^\w-]/g, "")} `);
}

/**
 * CPU seconds used so far by each process whose command line matches, by pid: a server that is
 * not our child, such as PostgreSQL's backends. Compare two readings pid by pid (cpuSecondsBetween),
 * since a process that exits in between takes its seconds with it.
 */
export function cpuSecondsOfCommands(pattern: RegExp): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      if (pattern.test(command)) seconds.set(Number(entry), cpuSeconds(Number(entry)) ?? 0);
    } catch {
      // exited while listing
    }
  }
  return seconds;
}

/** CPU seconds the processes used between two readings of cpuSecondsOfCommands (a process new since the first counts from 0). */
export function cpuSecondsBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/** Busy CPU seconds of the whole machine so far (every core, every process: /proc/stat minus idle and iowait). */
export function machineBusyCpuSeconds(): number {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return (total - ticks[3] - ticks[4]) / 100;
}

import type { BufferedLine } from "./log-buffer";

/** Same line format as the server's full download, so the two files compare line for line. */
export function logFileLine(line: Pick<BufferedLine, "ts" | "pod" | "container" | "plain">): string {
  return `${line.ts} ${line.pod}/${line.container} ${line.plain}`;
}

function utcStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

/** "<db>_<pod>_<container>_<UTC yyyymmdd-hhmmss>.log", or "<db>_all-pods_<time>.log" for a whole tenant. */
export function logFileName(databaseName: string, pod: string | undefined, container: string | undefined, at: Date): string {
  const parts = pod ? [databaseName, pod, container ?? "all-containers"] : [databaseName, "all-pods"];
  return `${parts.join("_")}_${utcStamp(at)}.log`;
}

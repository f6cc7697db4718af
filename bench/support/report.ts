// What every benchmark shares: percentiles, the printed table and the JSON written under
// bench/results/ (a timestamped file plus `<name>-latest.json`).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import Table from "cli-table3";

export const resultsDir = new URL("../results/", import.meta.url).pathname;

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): LatencySummary {
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(samples.length ? Math.max(...samples) : Number.NaN),
    mean: round(samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN),
  };
}

export type Verdict = "PASS" | "FAIL" | "n/a" | "info";

export interface MetricRow {
  metric: string;
  value: string;
  target: string;
  verdict: Verdict;
}

/** A row against an upper bound; a value that could not be measured is "n/a", never a pass. */
export function upTo(metric: string, value: number | undefined, limit: number, unit: string, digits = 0): MetricRow {
  const measured = value !== undefined && Number.isFinite(value);
  return {
    metric,
    value: measured ? `${value!.toFixed(digits)} ${unit}` : "not measured",
    target: `< ${limit} ${unit}`,
    verdict: !measured ? "n/a" : value! < limit ? "PASS" : "FAIL",
  };
}

/** A row against a lower bound; a value that could not be measured is "n/a", never a pass. */
export function atLeast(metric: string, value: number | undefined, floor: number, unit: string, digits = 0): MetricRow {
  const measured = value !== undefined && Number.isFinite(value);
  return {
    metric,
    value: measured ? `${value!.toFixed(digits)} ${unit}` : "not measured",
    target: `≥ ${floor} ${unit}`,
    verdict: !measured ? "n/a" : value! >= floor ? "PASS" : "FAIL",
  };
}

export function info(metric: string, value: string): MetricRow {
  return { metric, value, target: "", verdict: "info" };
}

export function printTable(title: string, rows: MetricRow[]): void {
  const table = new Table({ head: ["metric", "value", "target", ""], style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push([row.metric, row.value, row.target, row.verdict === "info" ? "" : row.verdict]);
  console.log(`\n${title}\n${table.toString()}`);
}

/** Writes `<name>-<timestamp>.json` and `<name>-latest.json`, and prints where. */
export function writeResults(name: string, result: unknown): void {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const body = `${JSON.stringify(result, null, 2)}\n`;
  const path = join(resultsDir, `${name}-${stamp}.json`);
  writeFileSync(path, body);
  writeFileSync(join(resultsDir, `${name}-latest.json`), body);
  console.log(`\nresults: ${relative(process.cwd(), path)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Load average and CPU count: a 2-core machine shared with other work skews every latency. */
export function machineLoad(): { loadAverage: number[]; cpus: number } {
  return { loadAverage: loadavg().map((value) => Math.round(value * 100) / 100), cpus: cpus().length };
}

import "server-only";

// Pure arithmetic for expand-volume's plan; the mutation itself is previewed by the engine's dry run.

/** Kubernetes storage quantities ("20Gi", "500M", "1.5Ti") in bytes; undefined when unreadable. */
const UNITS: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
};

export function quantityBytes(quantity: string | undefined): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity?.trim() ?? "");
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2] ?? ""];
}

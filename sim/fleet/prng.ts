// Seeded randomness: every generated value flows from (seed, purpose), so the same seed always
// yields the same fleet and adding tenants never reshuffles the existing ones.

export interface Rng {
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
  chance(probability: number): boolean;
  hex(length: number): string;
  uuid(): string;
}

function hashString(text: string): number {
  // FNV-1a: tiny, stable across platforms, good enough to derive stream seeds.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRng(seed: string | number, stream = ""): Rng {
  let state = hashString(`${seed}|${stream}`) || 0x9e3779b9;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) => {
    let out = "";
    while (out.length < length)
      out += Math.floor(next() * 0x10000)
        .toString(16)
        .padStart(4, "0");
    return out.slice(0, length);
  };
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key as never;
      }
      return entries[entries.length - 1][0] as never;
    },
    chance: (p) => next() < p,
    hex,
    uuid: () => {
      const h = hex(32).split("");
      h[12] = "4";
      h[16] = "89ab"[parseInt(h[16], 16) & 3];
      const s = h.join("");
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

/** Stable short hash used for pod-template-hash style suffixes. */
export function stableHash(text: string): number {
  return hashString(text);
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no ambiguous characters).
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function safeEncode(value: number, length: number): string {
  let out = "";
  let v = value >>> 0;
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[v % SAFE_ALPHABET.length];
    v = Math.floor(v / SAFE_ALPHABET.length) ^ (Math.imul(v, 2654435761) >>> 7);
  }
  return out;
}

export function randomSuffix(rng: Rng, length = 5): string {
  let out = "";
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[Math.floor(rng.next() * SAFE_ALPHABET.length)];
  return out;
}

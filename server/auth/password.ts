import "server-only";

// Password hashing with node:crypto scrypt (memory-hard, no native addon to build).
// A hash carries its own parameters and salt, `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url),
// so the cost can be raised later without invalidating stored hashes (see needsRehash).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const PREFIX = "scrypt";
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// 2^15 x 8 x 128 B = 32 MiB per hash, ~50-100 ms here: slow for guessing, fine for sign-in.
const CURRENT = { logN: 15, r: 8, p: 1 };
// A stored hash decides the work done to verify it; refuse absurd parameters instead of hanging.
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;

function deriveKey(password: string, salt: Buffer, params: { logN: number; r: number; p: number }, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(plain, salt, CURRENT, KEY_LENGTH);
  return [PREFIX, CURRENT.logN, CURRENT.r, CURRENT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

interface ParsedHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | undefined {
  const parts = hash.split("$");
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [logN, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,2}$/.test(part) ? Number(part) : NaN));
  const within = (value: number, [min, max]: readonly [number, number]) => Number.isInteger(value) && value >= min && value <= max;
  if (!within(logN, LIMITS.logN) || !within(r, LIMITS.r) || !within(p, LIMITS.p)) return undefined;
  const salt = Buffer.from(parts[4], "base64url");
  const key = Buffer.from(parts[5], "base64url");
  if (salt.length < 8 || key.length < 16) return undefined;
  return { logN, r, p, salt, key };
}

/** True when `plain` matches `hash`; false for a wrong password or a hash this code cannot read. */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const candidate = await deriveKey(plain, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(candidate, parsed.key);
}

/** Whether a stored hash uses weaker parameters than hashPassword does today. */
export function needsRehash(hash: string): boolean {
  const parsed = parseHash(hash);
  return !parsed || parsed.logN < CURRENT.logN || parsed.r < CURRENT.r || parsed.p < CURRENT.p || parsed.key.length < KEY_LENGTH;
}

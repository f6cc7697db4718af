import { describe, expect, it } from "vitest";

import { hashPassword, needsRehash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("reads its parameters from the hash, so older cheaper hashes still verify", async () => {
    const current = await hashPassword("pw");
    const [, , r, p, salt] = current.split("$");
    // A hash stored when the cost was 2^12.
    const { scryptSync } = await import("node:crypto");
    const key = scryptSync("pw", Buffer.from(salt, "base64url"), 32, { N: 2 ** 12, r: Number(r), p: Number(p) });
    const older = ["scrypt", 12, r, p, salt, key.toString("base64url")].join("$");
    expect(await verifyPassword("pw", older)).toBe(true);
    expect(needsRehash(older)).toBe(true);
    expect(needsRehash(current)).toBe(false);
  });

  it("treats malformed or hostile hashes as a mismatch instead of throwing or hanging", async () => {
    for (const bad of ["", "plain-text", "bcrypt$10$abc", "scrypt$40$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "scrypt$15$8$1$$"]) {
      expect(await verifyPassword("pw", bad)).toBe(false);
    }
  });
});

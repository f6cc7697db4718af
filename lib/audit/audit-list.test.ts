import { describe, expect, it } from "vitest";

import { auditFilterSchema } from "./audit-list-schemas";

describe("audit filters", () => {
  it("refuse a NUL or other control character in a search text, which the database would reject", () => {
    for (const field of ["who", "action", "target"] as const) {
      const parsed = auditFilterSchema.safeParse({ [field]: "admin\u0000" });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].message).toMatch(/cannot contain control characters/);
    }
    expect(auditFilterSchema.parse({ who: " admin@fleetdeck.local " })).toEqual({ who: "admin@fleetdeck.local" });
  });
});

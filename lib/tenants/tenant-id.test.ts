import { describe, expect, it } from "vitest";

import { isTenantId, tenantIdSchema } from "./tenant-id";

describe("tenant id", () => {
  it("accepts the canonical UUID form and normalises it to lower case", () => {
    expect(tenantIdSchema.parse(" 3F2B8C1E-5D4A-4B6C-9E8F-0A1B2C3D4E5F ")).toBe("3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f");
    expect(isTenantId("3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f")).toBe(true);
  });

  it.each([
    ["without dashes", "3f2b8c1e5d4a4b6c9e8f0a1b2c3d4e5f"],
    ["with dashes in the wrong places", "3f2b8c1e5-d4a-4b6c-9e8f-0a1b2c3d4e5f"],
    ["in braces", "{3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f}"],
    ["too short", "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5"],
    ["with a non-hex digit", "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5g"],
    ["empty", ""],
  ])("refuses an id %s with a message that shows the form", (_, id) => {
    const result = tenantIdSchema.safeParse(id);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/instance UUID such as [0-9a-f]{8}-/);
    expect(isTenantId(id)).toBe(false);
  });
});

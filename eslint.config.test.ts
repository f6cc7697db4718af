import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The import boundaries in eslint.config.mjs, proven on snippets linted as if they lived at the
// given path (the files need not exist).
const eslint = new ESLint({ cwd: import.meta.dirname });
const BOUNDARY_RULES = new Set(["@typescript-eslint/no-restricted-imports", "no-restricted-syntax"]);

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result.messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${filePath} did not parse: ${fatal.message}`);
  return result.messages.filter((message) => message.ruleId && BOUNDARY_RULES.has(message.ruleId)).map((message) => message.message);
}

describe("import boundaries", () => {
  it("refuse a component that imports a server value, by alias, relative path or import()", async () => {
    expect(
      await boundaryErrors("components/tenants/probe.tsx", `import { env } from "@/server/env";\nexport const name = env.FLEETDECK_CLUSTER_NAME;\n`),
    ).toEqual([expect.stringContaining("server/ is server-only")]);
    expect(await boundaryErrors("components/tenants/detail/probe.tsx", `export { getDb } from "../../../server/db/client";\n`)).toHaveLength(1);
    expect(await boundaryErrors("components/tenants/probe.ts", `export const load = () => import("@/server/env");\n`)).toHaveLength(1);
    expect(await boundaryErrors("app/(portal)/tenants/error.tsx", `import { env } from "@/server/env";\nexport default env;\n`)).toHaveLength(1);
  });

  it("let a component import a server type", async () => {
    expect(
      await boundaryErrors("components/users/probe.tsx", `import type { UserListItem } from "@/server/auth/user-admin";\nexport type Row = UserListItem;\n`),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "components/users/probe.tsx",
        `import { type UserListItem } from "../../server/auth/user-admin";\nexport type Row = UserListItem;\n`,
      ),
    ).toEqual([]);
  });

  it("refuse a server module that imports a component or a route", async () => {
    expect(await boundaryErrors("server/tenants/probe.ts", `import { Button } from "@/components/ui/button";\nexport { Button };\n`)).toEqual([
      expect.stringContaining("server/ never imports components/ or app/"),
    ]);
    expect(
      await boundaryErrors("server/trpc/routers/probe.ts", `import type { ButtonProps } from "../../../components/ui/button";\nexport type P = ButtonProps;\n`),
    ).toHaveLength(1);
    expect(await boundaryErrors("server/probe.ts", `export { GET } from "@/app/api/health/route";\n`)).toHaveLength(1);
  });

  it("keep sim/ and the portal apart, both ways", async () => {
    expect(await boundaryErrors("sim/api/probe.ts", `import { env } from "../../server/env";\nexport { env };\n`)).toEqual([
      expect.stringContaining("sim/ stands alone"),
    ]);
    expect(await boundaryErrors("sim/api/probe.ts", `import type { Role } from "@/lib/auth/permissions";\nexport type R = Role;\n`)).not.toEqual([]);
    expect(await boundaryErrors("server/kube/probe.ts", `import { ApiServer } from "@/sim/api/server";\nexport { ApiServer };\n`)).toEqual([
      expect.stringContaining("sim/ is a separate program"),
    ]);
    expect(await boundaryErrors("scripts/probe.ts", `export const load = () => import("../sim/main");\n`)).toHaveLength(1);
    expect(await boundaryErrors("probe.ts", `import "./sim/main";\n`)).toHaveLength(1);
  });

  it("let the real control plane's fleet read sim/fleet and sim/logs as data, and nothing else of sim/", async () => {
    const plan = `import { planFleet } from "../../sim/fleet/tenant-plan";\nimport { OdooLogGenerator } from "../../sim/logs/odoo-log-generator";\nexport { planFleet, OdooLogGenerator };\n`;
    expect(await boundaryErrors("scripts/lib/real-fleet.ts", plan)).toEqual([]);
    expect(await boundaryErrors("scripts/lib/x.real-cluster.integration.test.ts", plan)).toEqual([]);
    expect(await boundaryErrors("scripts/lib/real-fleet.ts", `import { Kubelet } from "../../sim/controllers/kubelet";\nexport { Kubelet };\n`)).toEqual([
      expect.stringContaining("sim/ is a separate program"),
    ]);
    expect(await boundaryErrors("scripts/lib/real-fleet.ts", `export const load = () => import("../../sim/main");\n`)).toHaveLength(1);
    expect(await boundaryErrors("scripts/lib/stack.ts", plan)).toHaveLength(2);
  });

  it("refuse lib/ importing from server/, even a type", async () => {
    expect(await boundaryErrors("lib/tenants/probe.ts", `import type { Db } from "@/server/db/client";\nexport type D = Db;\n`)).toEqual([
      expect.stringContaining("lib/ holds only what browser and server both import"),
    ]);
  });

  it("pass the imports the house allows", async () => {
    expect(
      await boundaryErrors(
        "sim/api/probe.ts",
        `import { ApiServer } from "./server";\nimport type { KubeObject } from "../store/types";\nexport { ApiServer };\nexport type K = KubeObject;\n`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "server/tenants/probe.ts",
        `import { can } from "@/lib/auth/permissions";\nimport { getDb } from "../db/client";\nexport { can, getDb };\n`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "app/(portal)/probe/page.tsx",
        `import { env } from "@/server/env";\nexport default function Page() { return env.FLEETDECK_CLUSTER_NAME; }\n`,
      ),
    ).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { parseEnv, parseRoleMap } from "@/server/env";

function tempDir() {
  return mkdtempSync(path.join(tmpdir(), "fleetdeck-env-"));
}

describe("parseEnv", () => {
  it("works with an empty environment (the demo defaults)", () => {
    const cwd = tempDir();
    const env = parseEnv({}, { cwd });
    expect(env.FLEETDECK_DATA_DIR).toBe(path.join(cwd, ".data"));
    expect(env.PGLITE_DIR).toBe(path.join(cwd, ".data", "pglite"));
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.FLEETDECK_CLUSTER_NAME).toBe("default");
    expect(env.TENANT_LABEL_KEY).toBe("saasodoo.instance.id");
    expect(env.WATCH_SILENCE_TIMEOUT_SECONDS).toBe(120);
    expect(env.LOG_MAX_UPSTREAM_STREAMS).toBe(200);
    expect(env.SESSION_IDLE_MINUTES).toBe(60);
    expect(env.SESSION_MAX_HOURS).toBe(12);
    expect(env.OIDC).toBeUndefined();
    expect(env.FLEETDECK_DEMO).toBe(false);
    expect(env.KUBECONFIG_SOURCE).toEqual({ kind: "default" });
  });

  it("generates the auth secret once and reuses it from the data dir", () => {
    const cwd = tempDir();
    const first = parseEnv({}, { cwd }).NEXTAUTH_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(cwd, ".data", "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(parseEnv({}, { cwd }).NEXTAUTH_SECRET).toBe(first);
  });

  it("prefers an explicit secret and rejects a short one", () => {
    const cwd = tempDir();
    const secret = "x".repeat(40);
    expect(parseEnv({ NEXTAUTH_SECRET: secret }, { cwd }).NEXTAUTH_SECRET).toBe(secret);
    expect(() => parseEnv({ NEXTAUTH_SECRET: "short" }, { cwd })).toThrow(/NEXTAUTH_SECRET/);
  });

  it("finds the demo kubeconfig in the data dir, else in-cluster, else the default", () => {
    const cwd = tempDir();
    expect(parseEnv({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, { cwd }).KUBECONFIG_SOURCE).toEqual({ kind: "in-cluster" });
    parseEnv({}, { cwd }); // creates .data
    writeFileSync(path.join(cwd, ".data", "kubeconfig"), "apiVersion: v1\n");
    const env = parseEnv({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, { cwd });
    expect(env.KUBECONFIG).toBe(path.join(cwd, ".data", "kubeconfig"));
    expect(parseEnv({ KUBECONFIG: "/etc/kube/config" }, { cwd }).KUBECONFIG).toBe("/etc/kube/config");
  });

  it("coerces numbers and rejects nonsense", () => {
    const cwd = tempDir();
    expect(parseEnv({ SESSION_IDLE_MINUTES: "15", WATCH_SILENCE_TIMEOUT_SECONDS: "30" }, { cwd })).toMatchObject({
      SESSION_IDLE_MINUTES: 15,
      WATCH_SILENCE_TIMEOUT_SECONDS: 30,
    });
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "soon" }, { cwd })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(() => parseEnv({ SESSION_MAX_HOURS: "-1" }, { cwd })).toThrow(/SESSION_MAX_HOURS/);
  });

  it("accepts the database URLs the db layer supports and refuses others", () => {
    const cwd = tempDir();
    for (const url of ["file:./.data/pglite", "memory://", "postgres://u:p@db:5432/fleet", "postgresql://db/fleet"]) {
      expect(parseEnv({ DATABASE_URL: url }, { cwd }).DATABASE_URL).toBe(url);
    }
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/fleet" }, { cwd })).toThrow(/DATABASE_URL/);
    expect(parseEnv({ DATABASE_URL: "" }, { cwd }).DATABASE_URL).toBeUndefined();
  });

  it("enables OIDC only with issuer, client id and secret together", () => {
    const cwd = tempDir();
    const oidc = {
      OIDC_ISSUER: "https://sso.example.com/realms/ops/",
      OIDC_CLIENT_ID: "fleetdeck",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_ROLE_MAP: "fleet-admins=admin, fleet-ops=operator",
    };
    expect(parseEnv(oidc, { cwd }).OIDC).toEqual({
      issuer: "https://sso.example.com/realms/ops",
      clientId: "fleetdeck",
      clientSecret: "s3cret",
      roleClaim: "groups",
      roleMap: { "fleet-admins": "admin", "fleet-ops": "operator" },
    });
    expect(() => parseEnv({ OIDC_ISSUER: oidc.OIDC_ISSUER }, { cwd })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_MAP: "fleet-admins=root" }, { cwd })).toThrow(/OIDC_ROLE_MAP/);
  });

  it("reads FLEETDECK_DEMO as a flag", () => {
    const cwd = tempDir();
    expect(parseEnv({ FLEETDECK_DEMO: "1" }, { cwd }).FLEETDECK_DEMO).toBe(true);
    expect(parseEnv({ FLEETDECK_DEMO: "0" }, { cwd }).FLEETDECK_DEMO).toBe(false);
  });
});

describe("parseEnv: clusters", () => {
  it("keeps one cluster, the resolved kubeconfig under FLEETDECK_CLUSTER_NAME, when neither list is set", () => {
    const cwd = tempDir();
    expect(parseEnv({}, { cwd }).CLUSTERS).toEqual([{ name: "default", kubeconfig: { kind: "default" } }]);
    const env = parseEnv({ FLEETDECK_CLUSTER_NAME: "eu-1", KUBECONFIG: "/etc/kube/config" }, { cwd });
    expect(env.CLUSTERS).toEqual([{ name: "eu-1", kubeconfig: { kind: "file", path: "/etc/kube/config" } }]);
    expect(env.FLEETDECK_CLUSTER_NAME).toBe("eu-1");
  });

  it("reads FLEETDECK_CLUSTERS as contexts of the one kubeconfig, named by the context or by name=context", () => {
    const cwd = tempDir();
    const env = parseEnv({ KUBECONFIG: "/etc/kube/config", FLEETDECK_CLUSTERS: " eu-1 , us-1=arn:aws:eks:us-east-1:1:cluster/us ," }, { cwd });
    const kubeconfig = { kind: "file", path: "/etc/kube/config" };
    expect(env.CLUSTERS).toEqual([
      { name: "eu-1", kubeconfig, context: "eu-1" },
      { name: "us-1", kubeconfig, context: "arn:aws:eks:us-east-1:1:cluster/us" },
    ]);
    // With several, FLEETDECK_CLUSTER_NAME is the registry import's default: the first unless set.
    expect(env.FLEETDECK_CLUSTER_NAME).toBe("eu-1");
    expect(parseEnv({ FLEETDECK_CLUSTERS: "eu-1,us-1", FLEETDECK_CLUSTER_NAME: "us-1" }, { cwd }).FLEETDECK_CLUSTER_NAME).toBe("us-1");
  });

  it("reads FLEETDECK_KUBECONFIG_DIR as one cluster per file, named by the file, after the contexts", () => {
    const cwd = tempDir();
    const dir = path.join(cwd, "clusters");
    mkdirSync(path.join(dir, "..2026_12_04"), { recursive: true });
    writeFileSync(path.join(dir, "us-1.yaml"), "apiVersion: v1\n");
    writeFileSync(path.join(dir, "eu-2.kubeconfig"), "apiVersion: v1\n");
    writeFileSync(path.join(dir, ".hidden"), "");
    const env = parseEnv({ FLEETDECK_KUBECONFIG_DIR: "clusters", FLEETDECK_CLUSTERS: "home=portal", KUBECONFIG: "/etc/kube/config" }, { cwd });
    expect(env.CLUSTERS).toEqual([
      { name: "home", kubeconfig: { kind: "file", path: "/etc/kube/config" }, context: "portal" },
      { name: "eu-2", kubeconfig: { kind: "file", path: path.join(dir, "eu-2.kubeconfig") } },
      { name: "us-1", kubeconfig: { kind: "file", path: path.join(dir, "us-1.yaml") } },
    ]);
  });

  it("says what is wrong with a cluster list, naming the variable", () => {
    const cwd = tempDir();
    const fails = (source: Record<string, string>) => {
      try {
        parseEnv(source, { cwd });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("parseEnv accepted it");
    };
    expect(fails({ FLEETDECK_CLUSTERS: "arn:aws:eks:x" })).toMatch(
      /FLEETDECK_CLUSTERS: "arn:aws:eks:x" is not a cluster name: .*lowercase letters.*write name=arn:aws:eks:x/,
    );
    expect(fails({ FLEETDECK_CLUSTERS: "eu-1=" })).toMatch(/FLEETDECK_CLUSTERS: "eu-1=" names no context/);
    expect(fails({ FLEETDECK_CLUSTERS: "eu-1,eu-1=other" })).toMatch(/FLEETDECK_CLUSTERS: two clusters are named "eu-1"/);
    expect(fails({ FLEETDECK_CLUSTERS: "eu-1", KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toMatch(/FLEETDECK_CLUSTERS: .*in-cluster config.*set KUBECONFIG/);
    expect(fails({ FLEETDECK_CLUSTERS: "eu-1,us-1", FLEETDECK_CLUSTER_NAME: "ap-1" })).toMatch(
      /FLEETDECK_CLUSTER_NAME: must be one of the configured clusters \(eu-1, us-1\)/,
    );
    expect(fails({ FLEETDECK_CLUSTER_NAME: "Prod EU" })).toMatch(/FLEETDECK_CLUSTER_NAME: A cluster name uses lowercase letters/);
    expect(fails({ FLEETDECK_KUBECONFIG_DIR: "nowhere" })).toMatch(/FLEETDECK_KUBECONFIG_DIR: cannot read the directory .*nowhere: ENOENT/);
    mkdirSync(path.join(cwd, "empty"));
    expect(fails({ FLEETDECK_KUBECONFIG_DIR: "empty" })).toMatch(/FLEETDECK_KUBECONFIG_DIR: .*empty holds no kubeconfig file/);
    mkdirSync(path.join(cwd, "bad"));
    writeFileSync(path.join(cwd, "bad", "Prod_EU.yaml"), "");
    expect(fails({ FLEETDECK_KUBECONFIG_DIR: "bad" })).toMatch(/FLEETDECK_KUBECONFIG_DIR: the file "Prod_EU.yaml" does not name a cluster/);
  });
});

describe("parseRoleMap", () => {
  it("parses group=role pairs and keeps '=' inside group names", () => {
    expect(parseRoleMap("")).toEqual({});
    expect(parseRoleMap("team=ops=operator, /fleet-admins=admin")).toEqual({ "team=ops": "operator", "/fleet-admins": "admin" });
    expect(() => parseRoleMap("fleet-admins")).toThrow(/group=role/);
  });
});

import { describe, expect, it } from "vitest";

import { clientAddress, invalidProxyEntry, normalizeAddress, PEER_ADDRESS_HEADER, TrustedProxies } from "@/server/http/client-address";
import { parseEnv } from "@/server/env";

const request = (peer: string | undefined, forwardedFor?: string) =>
  new Headers({ ...(peer ? { [PEER_ADDRESS_HEADER]: peer } : {}), ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) });

describe("clientAddress", () => {
  const proxies = new TrustedProxies(["10.0.0.0/8", "2001:db8::1"]);

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), proxies)).toBe("203.0.113.9");
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), new TrustedProxies([]))).toBe("203.0.113.9");
  });

  it("honours it from a trusted proxy, taking the right-most hop that is not one", () => {
    expect(clientAddress(request("10.1.2.3", "198.51.100.1"), proxies)).toBe("198.51.100.1");
    // The client wrote the left part itself; only the hop our proxies saw counts.
    expect(clientAddress(request("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.9.9.9"), proxies)).toBe("198.51.100.1");
    expect(clientAddress(request("::ffff:10.1.2.3", "198.51.100.1:4711"), proxies)).toBe("198.51.100.1");
    expect(clientAddress(request("2001:db8::1", "[2001:db8::7]:443"), proxies)).toBe("2001:db8::7");
    expect(clientAddress(request("10.1.2.3"), proxies)).toBe("10.1.2.3");
  });

  it("reads next-auth's plain header objects too, and says unknown without a recorded peer", () => {
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: "10.1.2.3", "x-forwarded-for": "198.51.100.1" }, proxies)).toBe("198.51.100.1");
    expect(clientAddress(request(undefined, "198.51.100.1"), proxies)).toBe("unknown");
  });

  it("normalises addresses so one client has one key", () => {
    expect(normalizeAddress(" ::FFFF:192.0.2.1 ")).toBe("192.0.2.1");
    expect(normalizeAddress("192.0.2.1:80")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
  });
});

describe("TRUSTED_PROXIES", () => {
  it("accepts addresses and CIDR blocks and refuses anything else", () => {
    expect(invalidProxyEntry(["10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"])).toBeNull();
    expect(invalidProxyEntry(["10.0.0.0/33"])).toBe("10.0.0.0/33");
    expect(invalidProxyEntry(["proxy.internal"])).toBe("proxy.internal");
  });

  it("is an empty list by default and a parsed one when set", () => {
    expect(parseEnv({}, { persistSecret: false }).TRUSTED_PROXIES).toEqual([]);
    expect(parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.5" }, { persistSecret: false }).TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "192.0.2.5"]);
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8,nope" }, { persistSecret: false })).toThrow(/TRUSTED_PROXIES.*nope/);
  });
});

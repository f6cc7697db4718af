import "server-only";

import { BlockList, isIP } from "node:net";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * Route handlers never see the TCP peer, and Next fills X-Forwarded-For with it only when the
 * client sent none, so a forged header would hide it. The start-up hook therefore copies the
 * peer into this header before Next reads the request, overwriting whatever the client sent.
 */
export const PEER_ADDRESS_HEADER = "x-fleetdeck-peer-address";

const UNKNOWN_ADDRESS = "unknown";

/** Subscribes once per process; Node publishes this before the server's "request" event. */
export function installPeerAddressHeader(): void {
  const marker = Symbol.for("fleetdeck.peer-address-header");
  const holder = globalThis as { [marker]?: true };
  if (holder[marker]) return;
  holder[marker] = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? UNKNOWN_ADDRESS;
  });
}

/** Strips ports, brackets and the IPv4-mapped IPv6 prefix so one client always has one key. */
export function normalizeAddress(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address)) address = address.slice(7);
  return address.toLowerCase();
}

/** Whether each entry of TRUSTED_PROXIES is an IP address or a CIDR block; the message names the first bad one. */
export function invalidProxyEntry(entries: readonly string[]): string | null {
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    if (!family || rest.length > 0) return entry;
    if (prefix === undefined) continue;
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return entry;
  }
  return null;
}

/** The proxies whose X-Forwarded-For is believed. */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  constructor(entries: readonly string[]) {
    const bad = invalidProxyEntry(entries);
    if (bad) throw new Error(`"${bad}" is not an IP address or CIDR block`);
    for (const entry of entries) {
      const [address, prefix] = entry.split("/");
      const type = isIP(address) === 4 ? "ipv4" : "ipv6";
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
    this.empty = entries.length === 0;
  }

  includes(address: string): boolean {
    if (this.empty) return false;
    const family = isIP(address);
    if (!family) return false;
    return this.list.check(address, family === 4 ? "ipv4" : "ipv6");
  }
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then X-Forwarded-For
 * is read from the right, skipping trusted hops, and the first untrusted one is the client (hops
 * further left were written by whoever the client is, so they prove nothing).
 */
export function clientAddress(headers: HeaderSource | undefined, trusted: TrustedProxies): string {
  const peerHeader = header(headers, PEER_ADDRESS_HEADER);
  if (!peerHeader) return UNKNOWN_ADDRESS;
  const peer = normalizeAddress(peerHeader);
  if (!trusted.includes(peer)) return peer;
  const hops = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map(normalizeAddress)
    .filter((hop) => hop.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.includes(hops[i])) return hops[i];
  }
  // Every hop is a trusted proxy: the left-most is the nearest thing to a client we know.
  return hops[0] ?? peer;
}

/**
 * Security headers that are the same on every response. The Content-Security-Policy is not here:
 * it carries a per-request script nonce, so proxy.ts sets it (see the comment there).
 * @type {import("next").NextConfig}
 */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Lets a second build (a test run next to a running demo) write elsewhere than .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  experimental: {
    // proxy.ts runs on /api/trpc, and Next buffers at most 10 MB of a proxied body by default;
    // registry imports accept files up to 20 MB (JSON-encoded, so some headroom).
    proxyClientMaxBodySize: "25mb",
  },
  // Native/WASM and ESM-heavy server packages load from node_modules at run time instead of being
  // bundled (client-node is ESM-only and large; PGlite ships WASM next to its JS).
  serverExternalPackages: [
    "@kubernetes/client-node",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
  ],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;

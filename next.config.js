/**
 * Security headers that are the same on every response. The pages' Content-Security-Policy is not
 * here: it carries a per-request script nonce, so proxy.ts sets it (see the comment there). The
 * routes the proxy skips (tRPC, health) answer JSON or SSE and get the strictest static policy.
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
  // The container image (Dockerfile) runs `node server.js` from a self-contained folder with only the
  // traced node_modules. Only at build time and only when asked: `next start` warns on (and is not
  // meant for) a standalone build, and it stays how the portal is served everywhere else.
  ...(process.env.NEXT_OUTPUT_STANDALONE === "1" ? { output: "standalone" } : {}),
  reactStrictMode: true,
  experimental: {
    // Next buffers at most 10 MB of a body that passes proxy.ts by default; registry imports
    // accept files up to 20 MB (JSON-encoded, so some headroom). tRPC skips the proxy today, but
    // the limit stays so a matcher change cannot silently break large imports.
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
    "prom-client",
  ],
  async headers() {
    const apiPolicy = { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" };
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/trpc/:path*", headers: [apiPolicy] },
      { source: "/api/health", headers: [apiPolicy] },
    ];
  },
};

export default nextConfig;

# The portal's container image: `next build` with output "standalone", served by `node server.js`
# as UID 1001 on a read-only root filesystem (deploy/helm/fleetdeck mounts emptyDirs at
# /app/.next/cache, /data and /tmp). Migrations (prisma/migrations) apply at start-up.
#   docker build -t fleetdeck:0.1.0 .
# Where no image can be built, `npm run check:container` lints this file (hadolint) and starts the
# same standalone output with `node server.js` (and its drain on SIGTERM).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# `npm ci` refuses this lockfile (it lacks other platforms' optional binaries), so install.
RUN npm install --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 \
    NEXT_OUTPUT_STANDALONE=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
# The Prisma client is generated from the schema; the schema engine is not needed for that.
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate \
 && npx next build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_MANUAL_SIG_HANDLE=true \
    FLEETDECK_DATA_DIR=/data
WORKDIR /app
RUN groupadd --system --gid 1001 fleetdeck \
 && useradd --system --uid 1001 --gid fleetdeck --no-create-home --shell /usr/sbin/nologin fleetdeck \
 && mkdir -p /data /app/.next/cache \
 && chown 1001:1001 /data /app/.next/cache
COPY --from=build --chown=1001:1001 /src/.next/standalone ./
COPY --from=build --chown=1001:1001 /src/.next/static ./.next/static
COPY --from=build --chown=1001:1001 /src/public ./public
COPY --from=build --chown=1001:1001 /src/prisma/migrations ./prisma/migrations
USER 1001:1001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]

// Prisma 7 does not load .env files; the CLI reads the environment as it is.
// The URL matters only to CLI commands that connect (not to `generate`); the portal itself
// connects through server/db/client.ts, which also handles PGlite.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "",
  },
});

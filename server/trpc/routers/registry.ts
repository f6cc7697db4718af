import "server-only";

import { z } from "zod";

import { clusterNameSchema } from "@/lib/cluster/cluster-name";
import { env } from "@/server/env";
import { runtime } from "@/server/runtime";
import { importRegistry, previewRegistryImport, type RegistryProblem } from "@/server/tenants/registry-import";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const importPermission = requirePermission("registry:import");

/** About 10,000 instances take 2 MB; the limit leaves room without letting one request eat the server's memory. */
const MAX_REGISTRY_FILE_CHARS = 20 * 1024 * 1024;
/** A file where every row is wrong would otherwise send back a report larger than the file. */
const MAX_REPORTED_PROBLEMS = 1_000;

const registryFile = z.object({
  text: z.string("Choose a file to read.").max(MAX_REGISTRY_FILE_CHARS, "The file is larger than 20 MB; split it into smaller files."),
  format: z.enum(["csv", "json"], 'Choose the file format: "csv" or "json".'),
});

const cluster = clusterNameSchema;

/** Problems travel as data, not as an error, so the page can show them as a table. */
function withReport<T extends { problems: RegistryProblem[] }>(result: T): T & { problemCount: number } {
  return { ...result, problems: result.problems.slice(0, MAX_REPORTED_PROBLEMS), problemCount: result.problems.length };
}

export const registryRouter = createTRPCRouter({
  // A mutation only so the file travels in a POST body (a query would put it in the URL); it writes nothing.
  preview: importPermission
    .input(registryFile.extend({ cluster: cluster.optional() }))
    .mutation(async ({ ctx, input }) =>
      withReport(await previewRegistryImport(ctx.db, input.text, input.format, { cluster: input.cluster ?? env.FLEETDECK_CLUSTER_NAME })),
    ),

  import: importPermission.input(registryFile.extend({ cluster: cluster.optional() })).mutation(async ({ ctx, input }) => {
    const result = await importRegistry(ctx.db, input.text, input.format, {
      cluster: input.cluster ?? env.FLEETDECK_CLUSTER_NAME,
      actor: { user: ctx.session.user },
    });
    if (result.problems.length === 0) {
      // The rows are committed; a failed refresh must not report the import as failed. The
      // directory reloads the registry on its own schedule anyway.
      await runtime()
        .invalidateRegistry()
        .catch((error: unknown) => console.error("registry import: refreshing the tenant directory failed:", error));
    }
    return withReport(result);
  }),
});

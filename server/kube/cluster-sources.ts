import "server-only";

import { AppError } from "@/server/errors/app-error";
import type { ClusterSource } from "./cluster-source";

/**
 * The clusters the portal reads, by name (Backstage's clusters supplier): built from the
 * configured list, so a second cluster is one more entry, and looked up by the name a tenant's
 * registry row carries.
 */
export class ClusterSources {
  private readonly byName = new Map<string, ClusterSource>();

  constructor(sources: readonly ClusterSource[]) {
    for (const source of sources) {
      if (this.byName.has(source.name)) throw new Error(`two clusters are configured under the name "${source.name}"`);
      this.byName.set(source.name, source);
    }
  }

  all(): ClusterSource[] {
    return [...this.byName.values()];
  }

  /** The cluster called `name`; NOT_FOUND, naming the clusters there are, when the portal has none by that name. */
  get(name: string): ClusterSource {
    const source = this.byName.get(name);
    if (source) return source;
    throw new AppError("NOT_FOUND", {
      message: `no cluster named "${name}" is configured (configured: ${this.names()})`,
      userMessage: `The portal is not connected to a cluster named "${name}".`,
    });
  }

  /** The cluster a tenant's registry row says it runs in. */
  forTenant(tenant: { databaseName: string; cluster: string }): ClusterSource {
    const source = this.byName.get(tenant.cluster);
    if (source) return source;
    throw new AppError("NOT_FOUND", {
      message: `tenant ${tenant.databaseName} runs in cluster "${tenant.cluster}", which is not configured (configured: ${this.names()})`,
      userMessage: `Tenant ${tenant.databaseName} runs in cluster "${tenant.cluster}", which this portal is not connected to.`,
    });
  }

  private names(): string {
    return [...this.byName.keys()].map((name) => `"${name}"`).join(", ") || "none";
  }
}

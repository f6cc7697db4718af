export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface RequestStatsSnapshot {
  total: number;
  byVerb: Record<string, number>;
  byResource: Record<string, number>;
  byUserAgent: Record<string, number>;
  /** "list pods", "get pods/log", ... */
  byVerbResource: Record<string, number>;
  since: string;
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/** Counts API requests the way apiserver_request_total labels them (verb, resource) plus user agent. */
export class RequestStats {
  private s: RequestStatsSnapshot = this.empty();

  record(verb: string, resource: string, userAgent: string | undefined): void {
    this.s.total++;
    bump(this.s.byVerb, verb);
    bump(this.s.byResource, resource);
    bump(this.s.byUserAgent, userAgent || "unknown");
    bump(this.s.byVerbResource, `${verb} ${resource}`);
  }

  snapshot(): RequestStatsSnapshot {
    return structuredClone(this.s);
  }

  reset(): void {
    this.s = this.empty();
  }

  private empty(): RequestStatsSnapshot {
    return { total: 0, byVerb: {}, byResource: {}, byUserAgent: {}, byVerbResource: {}, since: new Date().toISOString() };
  }
}

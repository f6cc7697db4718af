import "server-only";

import { oncePerProcess } from "@/server/process-singleton";

/**
 * A process that is going away (SIGTERM from the kubelet on a rollout or a node drain). In order:
 *   1. readiness answers 503 at once, so the endpoints controller takes the pod out of its Service;
 *   2. for `delayMs` it keeps serving what the load balancer still sends while that spreads;
 *   3. then new requests are refused (503, Retry-After, Connection: close) and open SSE streams end
 *      without tRPC's `return` event, which makes the browser's EventSource reconnect (to another
 *      replica by then) and resume from its last tracked id;
 *   4. the runbook verifications running here are handed back to the database (engine.handBack);
 *   5. once the requests in flight are answered (or `inFlightTimeoutMs` passed), the caller exits.
 */
export class Drain {
  private phase: "serving" | "draining" | "refusing" = "serving";
  private readonly streams = new AbortController();
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();

  /** True from SIGTERM on: readiness is false. */
  get draining(): boolean {
    return this.phase !== "serving";
  }

  /** True once new requests are refused (step 3). */
  get refusing(): boolean {
    return this.phase === "refusing";
  }

  /** Aborted when open streams must end; a subscription's request carries it (withDrainSignal). */
  get streamSignal(): AbortSignal {
    return this.streams.signal;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  begin(): void {
    if (this.phase === "serving") this.phase = "draining";
  }

  refuseAndEndStreams(): void {
    this.phase = "refusing";
    this.streams.abort(new Error("the portal process is shutting down"));
  }

  /** Counts a request (not a stream) until its response is made, so the exit waits for it. */
  async track<T>(answer: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await answer();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters) wake();
    }
  }

  /** Resolves once no tracked request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.idleWaiters.delete(wake);
        resolve();
      };
      this.idleWaiters.add(wake);
    });
  }
}

/** This process's drain (one per process, whichever bundle asks: see oncePerProcess). */
export function processDrain(): Drain {
  return oncePerProcess("fleetdeck.drain", () => new Drain());
}

/** The answer to a request that arrives once new requests are refused. */
export function drainRefusal(body: unknown): Response {
  return Response.json(body, {
    status: 503,
    headers: { "cache-control": "no-store", "retry-after": "1", connection: "close" },
  });
}

/**
 * The request with a signal that also aborts when the drain ends streams, for the tRPC fetch
 * adapter, which ends a subscription's SSE stream when its request's signal aborts. Only GET
 * requests (queries and subscriptions) carry no body, so only they are rebuilt.
 */
export function withDrainSignal(request: Request, drain: Drain): Request {
  if (request.method !== "GET") return request;
  return new Request(request, { signal: AbortSignal.any([request.signal, drain.streamSignal]) });
}

/**
 * A route handler that drains with the process: refused once new requests are, counted while it
 * answers, and its GET requests' signal aborted when streams end (the tRPC route wraps itself in it).
 */
export function drainAware(drain: Drain, handler: (request: Request) => Promise<Response>, refusal: () => Response): (request: Request) => Promise<Response> {
  return (request) => {
    if (drain.refusing) return Promise.resolve(refusal());
    return drain.track(() => handler(withDrainSignal(request, drain)));
  };
}

export interface DrainSteps {
  drain: Drain;
  /** Step 2: how long to keep serving after readiness turned false. */
  delayMs: number;
  /** Step 5: how long to wait for requests in flight at most. */
  inFlightTimeoutMs: number;
  /** Step 4: hands the runbook verifications back; its failure is logged, the drain goes on. */
  handBack(): Promise<unknown>;
  log(message: string): void;
  sleep?(ms: number): Promise<void>;
}

/** Steps 1 to 5 (see Drain); the caller closes the database and exits after it resolves. */
export async function drainProcess(steps: DrainSteps): Promise<void> {
  const sleep = steps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { drain } = steps;
  drain.begin();
  steps.log(`draining: readiness is false; serving for ${steps.delayMs} ms more while the pod leaves its Service`);
  await sleep(steps.delayMs);
  drain.refuseAndEndStreams();
  steps.log("draining: new requests are refused and open streams ended");
  try {
    const handedBack = await steps.handBack();
    steps.log(`draining: runbook verifications handed back (${String(handedBack)})`);
  } catch (error) {
    steps.log(`draining: handing the runbook verifications back failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const inFlight = drain.requestsInFlight;
  if (inFlight > 0) {
    steps.log(`draining: waiting for ${inFlight} request(s) in flight`);
    await Promise.race([drain.idle(), sleep(steps.inFlightTimeoutMs)]);
  }
}

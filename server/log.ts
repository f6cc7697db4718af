import "server-only";

import pino, { type Logger } from "pino";

import { env } from "@/server/env";
import { oncePerProcess } from "@/server/process-singleton";

/**
 * The server's log: one JSON object per line (pino) on stdout, for the log collector of the
 * cluster the portal runs in. Fields: `level`, `time`, `msg`, and what each line adds: `requestId`
 * (also in the request's audit rows and error answer), `procedure`, `route`, `err`.
 * LOG_LEVEL sets the level (default "info"). `npm run demo` and the tests read the same lines.
 */
export function serverLog(): Logger {
  return oncePerProcess("fleetdeck.log", () =>
    pino({
      level: env.LOG_LEVEL,
      base: { service: "fleetdeck" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    }),
  );
}

// The wire types are the server's; the viewer imports them from here so no client file reaches into server/ for more than types.
export type { LogLevel, LogLine, LogStreamEvent, LogStreamState, LogTarget, LogTargetContainer } from "@/lib/logs/types";

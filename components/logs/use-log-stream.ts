"use client";

import { useEffect, useState } from "react";
import { useLiveConnection } from "@/components/live/use-live-connection";
import { userMessageOf } from "@/components/trpc/error-message";
import { useTRPCClient } from "@/components/trpc/client";
import { LogBuffer } from "./log-buffer";
import type { LogStreamState } from "./log-types";
import { shownLogStatus, type LogStreamStatus } from "./log-stream-status";
import type { LogSourceInput } from "@/lib/logs/log-request";

export interface LogStreamInput extends LogSourceInput {
  follow: boolean;
}

/**
 * Subscribes to `logs.stream` and appends every batch to a buffer held outside React state. The
 * SSE link reconnects by itself with the last tracked id, so the server resumes after the last
 * line we hold; the buffer also drops any line it already has. Re-renders are coalesced to one
 * per animation frame however many batches arrive. An offline browser reads as reconnecting, with
 * the time the last line arrived live.
 */
export function useLogStream(input: LogStreamInput, attempt: number) {
  const client = useTRPCClient();
  const key = JSON.stringify(input);
  // Each stream (another source, or a retry) fills a buffer of its own, starting from "connecting".
  const [stream, setStream] = useState(() => ({ key, attempt, buffer: new LogBuffer() }));
  const [tick, setTick] = useState(0);
  const [status, setStatus] = useState<LogStreamStatus>({ state: "connecting" });
  if (stream.key !== key || stream.attempt !== attempt) {
    setStream({ key, attempt, buffer: new LogBuffer() });
    setStatus({ state: "connecting" });
  }

  useEffect(() => {
    const streamInput = JSON.parse(stream.key) as LogStreamInput;
    const next = stream.buffer;
    let frame = 0;
    let linkDown = false;
    let current: LogStreamState = "connecting";
    const update = (value: LogStreamStatus) => {
      current = value.state;
      setStatus(value);
    };
    const render = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((value) => value + 1);
      });
    };
    const subscription = client.logs.stream.subscribe(streamInput, {
      onData(event) {
        const data = event.data;
        if (data.type === "lines") {
          if (next.append(data.lines)) render();
        } else {
          update({ state: data.state, message: data.message });
        }
      },
      onError(error) {
        update({ state: "error", message: userMessageOf(error) });
      },
      onConnectionStateChange(connection) {
        // "connecting" with an error = the link lost the stream and is dialling again by itself.
        if (connection.state === "connecting" && connection.error) {
          linkDown = true;
          // The link's error is a bare network failure ("Unknown error"); say what is happening instead.
          update({ state: "reconnecting", message: "connection lost; resuming after the last line received" });
        } else if (connection.state === "pending" && linkDown) {
          // Back on the stream; the server's own status events take over from here.
          linkDown = false;
          update({ state: "live" });
        }
      },
      onComplete() {
        if (current !== "ended" && current !== "error") update({ state: "ended" });
      },
    });
    return () => {
      subscription.unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, stream]);

  const connection = useLiveConnection(status.state === "live");
  return { buffer: stream.buffer, tick, status: shownLogStatus(status, connection) };
}

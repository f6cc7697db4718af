"use client";

import { useEffect, useEffectEvent, useReducer, useRef, useSyncExternalStore } from "react";
import type { TRPCSubscriptionStatus } from "@trpc/tanstack-react-query";
import { initialLiveConnection, isResumed, liveStatusOf, reduceLiveConnection, type LiveStatus } from "./live-connection";

/** After the link gave up on a stream (a refused or failed request), dial again this much later. */
const RETRY_AFTER_ERROR_MS = 3_000;

function subscribeToNetwork(onChange: () => void): () => void {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

/** `navigator.onLine`, following the browser's online and offline events (true while rendering on the server). */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeToNetwork,
    () => navigator.onLine,
    () => true,
  );
}

/**
 * Whether the page is live, from whether its stream is open and the browser online. `onResumed`
 * runs when it is live again after a loss, so the page can read what it missed meanwhile.
 */
export function useLiveConnection(streamOpen: boolean, options: { onResumed?: () => void } = {}): LiveStatus {
  const online = useBrowserOnline();
  const [connection, dispatch] = useReducer(reduceLiveConnection, initialLiveConnection);
  const previous = useRef(connection);
  const resumed = useEffectEvent(() => options.onResumed?.());

  useEffect(() => dispatch({ type: "stream", open: streamOpen, at: Date.now() }), [streamOpen]);
  useEffect(() => dispatch({ type: "network", online, at: Date.now() }), [online]);
  useEffect(() => {
    if (isResumed(previous.current, connection)) resumed();
    previous.current = connection;
  }, [connection]);

  return liveStatusOf(connection);
}

/**
 * useLiveConnection for a tRPC `useSubscription` result. The subscription is dialled again when
 * the browser comes back online (the old stream may be dead without having said so) and a few
 * seconds after the link gave up on it, so a page never stays "Reconnecting…" for good.
 */
export function useLiveSubscription(subscription: { status: TRPCSubscriptionStatus; reset(): void }, options: { onResumed?: () => void } = {}): LiveStatus {
  const { status } = subscription;
  const dialAgain = useEffectEvent(() => subscription.reset());
  const online = useBrowserOnline();
  const wasOnline = useRef(online);

  useEffect(() => {
    if (online && !wasOnline.current) dialAgain();
    wasOnline.current = online;
  }, [online]);
  useEffect(() => {
    if (status !== "error") return;
    const timer = setTimeout(dialAgain, RETRY_AFTER_ERROR_MS);
    return () => clearTimeout(timer);
  }, [status]);

  return useLiveConnection(status === "pending", options);
}

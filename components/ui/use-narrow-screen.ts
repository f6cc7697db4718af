import { useSyncExternalStore } from "react";

/** Below Tailwind's `sm` (40rem): a phone held upright. */
const NARROW_QUERY = "(width < 40rem)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the window is phone-narrow; false while rendering on the server and hydrating. */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(NARROW_QUERY).matches,
    () => false,
  );
}

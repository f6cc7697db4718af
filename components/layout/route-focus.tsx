"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/** How long a new page may take to show its heading (a streamed page shows its skeleton first). */
const WAIT_FOR_HEADING_MS = 5_000;

/**
 * After a client-side navigation to another page, focus moves to the page's main heading (`h1`,
 * made focusable with tabIndex=-1), so a screen reader announces where the user is and Tab starts
 * from the content. Not on the first load (the browser's own start is right there), not within a
 * page (a filter or a page of the tenants list changes only the query), and never away from what
 * the user focused meanwhile (a field, a dialog).
 */
export function RouteFocus() {
  const pathname = usePathname();
  const previous = useRef(pathname);

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const startedOn = document.activeElement;
    const deadline = Date.now() + WAIT_FOR_HEADING_MS;
    let frame = 0;
    const tryFocus = () => {
      // The user moved on (typed into a field, opened the palette): leave their focus alone.
      const active = document.activeElement;
      if (active !== startedOn && active !== document.body && active !== null) return;
      if (document.querySelector("dialog[open]")) return;
      const heading = document.querySelector<HTMLElement>("main h1");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
        return;
      }
      if (Date.now() < deadline) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  return null;
}

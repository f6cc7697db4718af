"use client";

import { useEffect } from "react";

/**
 * Keeps the tab title in step with live data (a tenant's health, the fleet's problem count). The
 * page's metadata gives the same title at load; this only follows later changes.
 */
export function DocumentTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}

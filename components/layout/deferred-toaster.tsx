"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";

import { whenIdle } from "./when-idle";

const ThemedToaster = dynamic(() => import("./themed-toaster").then((module) => module.ThemedToaster), { ssr: false });

/**
 * The toaster (sonner) is its own chunk, mounted once the page is idle, so no page ships it up
 * front. Toasts are only ever raised after a user's action; one raised before the toaster is
 * mounted waits in sonner's queue and shows when it mounts.
 */
export function DeferredToaster() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => whenIdle(() => setMounted(true)), []);
  return mounted ? <ThemedToaster /> : null;
}

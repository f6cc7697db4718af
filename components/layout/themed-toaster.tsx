"use client";

import { useTheme } from "next-themes";
import { Toaster } from "sonner";

/** sonner's toaster in the page's resolved theme (it cannot read the `dark` class itself). */
export function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster position="top-right" richColors closeButton theme={resolvedTheme === "dark" ? "dark" : "light"} />;
}

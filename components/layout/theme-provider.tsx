"use client";

import { ThemeProvider as NextThemesProvider } from "next-themes";
import type { ReactNode } from "react";

/** The storage key of the chosen theme (`system`, `light` or `dark`) in localStorage. */
export const THEME_STORAGE_KEY = "fleetdeck-theme";

/**
 * Follows the system setting until the user picks a theme. next-themes' inline script sets the
 * `dark` class on <html> before the first paint (no flash of the wrong theme); under the strict
 * CSP it runs only with the request's nonce.
 */
export function ThemeProvider({ nonce, children }: { nonce?: string; children: ReactNode }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange storageKey={THEME_STORAGE_KEY} nonce={nonce}>
      {children}
    </NextThemesProvider>
  );
}

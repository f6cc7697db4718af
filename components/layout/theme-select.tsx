"use client";

import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};
const isClient = () => true;
const isServer = () => false;

const THEME_CHOICES = [
  { value: "system", label: "Theme: system" },
  { value: "light", label: "Theme: light" },
  { value: "dark", label: "Theme: dark" },
] as const;

/** The header's theme choice. The stored theme is known only in the browser, so the server renders it disabled. */
export function ThemeSelect() {
  const { theme, setTheme } = useTheme();
  const hydrated = useSyncExternalStore(subscribeToNothing, isClient, isServer);
  return (
    <select
      aria-label="Theme"
      data-testid="theme-select"
      value={hydrated ? (theme ?? "system") : "system"}
      disabled={!hydrated}
      onChange={(event) => setTheme(event.target.value)}
      className="h-7 rounded-md border border-slate-300 bg-white px-1.5 text-xs text-slate-800"
    >
      {THEME_CHOICES.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}

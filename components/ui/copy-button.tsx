"use client";

import { useEffect, useState } from "react";

import { cn } from "@/components/ui/cn";

/** Puts `text` on the clipboard; over plain HTTP (no Clipboard API) through a hidden textarea. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

/**
 * A small "Copy" button beside an id, an email, an object name or a command. It says "Copied"
 * for a moment (and to screen readers), or "Copy failed" where the browser refuses.
 */
export function CopyButton({
  text,
  label,
  idleText = "Copy",
  className,
  "data-testid": testId,
}: {
  text: string;
  /** The accessible name, e.g. "Copy kubectl logs command". */
  label: string;
  /** What the button shows until clicked. */
  idleText?: string;
  className?: string;
  "data-testid"?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      title={text}
      aria-label={label}
      data-testid={testId}
      data-state={state}
      onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}
      className={cn(
        "inline-flex items-center rounded border border-slate-300 bg-white px-1.5 py-0.5 text-[11px] font-medium text-slate-700 hover:bg-slate-100",
        className,
      )}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : idleText}</span>
    </button>
  );
}

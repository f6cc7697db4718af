"use client";

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { buttonClassName } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

export interface MenuEntry {
  key: string;
  label: ReactNode;
  /** A second line: what it does, or why it is greyed. */
  detail?: ReactNode;
  /** Shown after the label (a risk badge). */
  badge?: ReactNode;
  disabled?: boolean;
  /** A link (a download) instead of an action. */
  href?: string;
  download?: boolean;
  onSelect?: () => void;
  testId?: string;
}

/**
 * A menu button (WAI-ARIA APG): the list opens in the top layer (the Popover API), so it is never
 * clipped by a scrolling table; arrows, Home and End move, Escape or a click outside closes it and
 * focus returns to the button. Greyed entries stay focusable, so their reason can be read.
 */
export function Menu({
  label,
  buttonLabel,
  entries,
  empty,
  size = "md",
  testId,
}: {
  /** The button's text. */
  label: ReactNode;
  /** The accessible name, when the text alone is ambiguous (a row's "Actions"). */
  buttonLabel?: string;
  entries: MenuEntry[];
  /** Shown instead of entries (loading, an error, nothing offered). */
  empty?: ReactNode;
  size?: "sm" | "md";
  testId?: string;
}) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);

  const items = () => [...(listRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  const place = useCallback(() => {
    const button = buttonRef.current;
    const list = listRef.current;
    if (!button || !list) return;
    const rect = button.getBoundingClientRect();
    const width = Math.min(320, window.innerWidth - 16);
    const left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8));
    list.style.width = `${width}px`;
    list.style.left = `${left}px`;
    list.style.top = `${rect.bottom + 4}px`;
    list.style.maxHeight = `${Math.max(160, window.innerHeight - rect.bottom - 16)}px`;
  }, []);

  // Near the bottom of the window the list opens above its button instead (once it has a height).
  const flipIfNeeded = useCallback(() => {
    const button = buttonRef.current;
    const list = listRef.current;
    if (!button || !list) return;
    const rect = button.getBoundingClientRect();
    const height = list.scrollHeight;
    if (rect.bottom + 4 + height + 8 <= window.innerHeight || rect.top < window.innerHeight - rect.bottom) return;
    const room = rect.top - 12;
    list.style.maxHeight = `${Math.max(160, room)}px`;
    list.style.top = `${Math.max(8, rect.top - 4 - Math.min(height, room))}px`;
  }, []);

  // The list is fixed in the top layer: it follows its button when the page scrolls or resizes
  // (a scroll can also arrive just after the click that opened it), and closes once the button is
  // out of sight.
  useEffect(() => {
    if (!open) return;
    const follow = (event: Event) => {
      if (event.target instanceof Node && listRef.current?.contains(event.target)) return;
      const rect = buttonRef.current?.getBoundingClientRect();
      if (!rect || rect.bottom < 0 || rect.top > window.innerHeight) {
        if (listRef.current?.matches(":popover-open")) listRef.current.hidePopover();
        return;
      }
      place();
      flipIfNeeded();
    };
    window.addEventListener("scroll", follow, true);
    window.addEventListener("resize", follow);
    return () => {
      window.removeEventListener("scroll", follow, true);
      window.removeEventListener("resize", follow);
    };
  }, [open, place, flipIfNeeded]);

  function show(focus: "first" | "last") {
    const list = listRef.current;
    if (!list) return;
    place();
    list.showPopover();
    flipIfNeeded();
    const all = items();
    // The list is fixed in the top layer: focusing must not scroll the page (which closes it).
    (focus === "first" ? all[0] : all[all.length - 1])?.focus({ preventScroll: true });
  }

  function hide(returnFocus: boolean) {
    if (listRef.current?.matches(":popover-open")) listRef.current.hidePopover();
    if (returnFocus) buttonRef.current?.focus();
  }

  function onListKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => all[(index + all.length) % all.length]?.focus({ preventScroll: true });
    if (event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(all.length - 1);
    else if (event.key === "Escape") hide(true);
    else if (event.key === "Tab") hide(false);
    else return;
    event.preventDefault();
  }

  function choose(entry: MenuEntry) {
    if (entry.disabled) return;
    hide(false);
    entry.onSelect?.();
  }

  const itemClass = (entry: MenuEntry) =>
    cn(
      "block w-full rounded px-2.5 py-1.5 text-left text-sm focus:outline-none",
      entry.disabled ? "cursor-not-allowed text-slate-400 focus:bg-slate-50" : "text-slate-800 hover:bg-slate-100 focus:bg-slate-100",
    );

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={buttonLabel}
        data-testid={testId}
        onClick={() => (open ? hide(false) : show("first"))}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            show(event.key === "ArrowDown" ? "first" : "last");
          }
        }}
        className={buttonClassName({ size })}
      >
        {label}
        <span aria-hidden="true" className="text-slate-400">
          ▾
        </span>
      </button>
      <div
        ref={listRef}
        id={menuId}
        popover="auto"
        role="menu"
        aria-label={buttonLabel ?? (typeof label === "string" ? label : undefined)}
        onToggle={(event) => setOpen(event.newState === "open")}
        onKeyDown={onListKeyDown}
        // The UA centres popovers (inset 0, margin auto); place() sets the position next to the button.
        className="fixed inset-auto m-0 overflow-y-auto rounded-md border border-slate-200 bg-white p-1 text-slate-800 shadow-lg"
      >
        {entries.length === 0 ? (
          <div className="px-2.5 py-1.5 text-sm text-slate-600">{empty ?? "Nothing to do here."}</div>
        ) : (
          entries.map((entry) => {
            const body = (
              <>
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{entry.label}</span>
                  {entry.badge}
                </span>
                {entry.detail ? <span className={cn("mt-0.5 block text-xs", entry.disabled ? "text-slate-500" : "text-slate-600")}>{entry.detail}</span> : null}
              </>
            );
            return entry.href && !entry.disabled ? (
              <a
                key={entry.key}
                role="menuitem"
                tabIndex={-1}
                href={entry.href}
                download={entry.download || undefined}
                data-testid={entry.testId}
                onClick={() => hide(false)}
                className={itemClass(entry)}
              >
                {body}
              </a>
            ) : (
              <button
                key={entry.key}
                type="button"
                role="menuitem"
                tabIndex={-1}
                aria-disabled={entry.disabled || undefined}
                data-testid={entry.testId}
                data-available={!entry.disabled}
                onClick={() => choose(entry)}
                className={itemClass(entry)}
              >
                {body}
              </button>
            );
          })
        )}
      </div>
    </>
  );
}

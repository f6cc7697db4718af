"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import type { NavItem } from "./sidebar-nav";
import { whenIdle } from "./when-idle";

// The palette (cmdk) is its own chunk, so no page ships it up front; it is fetched once the page is
// idle, so the first Ctrl+K opens it at once and no key typed right after is lost.
const loadPalette = () => import("./command-palette");
const CommandPalette = dynamic(() => loadPalette().then((module) => module.CommandPalette), { ssr: false });

/** Typing into a field: shortcuts stay out of the way. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The "g <key>" jumps; each needs its page in the navigation (the role may read it). */
const GO_TO: Record<string, string> = { f: "/", t: "/tenants", r: "/runs", m: "/migration", a: "/audit" };

/**
 * The portal's keyboard: Ctrl+K (⌘K) opens the command palette anywhere, `/` focuses the page's
 * search (or opens the palette where there is none), `g f` / `g t` / `g r` / `g m` / `g a` go to
 * the fleet, tenants, runs, migration and audit pages.
 */
export function KeyboardShortcuts({ items }: { items: NavItem[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const pendingG = useRef<number | undefined>(undefined);

  useEffect(() => whenIdle(() => void loadPalette()), []);

  useEffect(() => {
    const allowed = new Set(items.map((item) => item.href));
    function onKeyDown(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((was) => !was);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || document.querySelector("dialog[open]")) return;
      if (event.key === "/") {
        event.preventDefault();
        const search = document.querySelector<HTMLInputElement>('main [role="search"] input, main input[type="search"]');
        if (search) search.focus();
        else setOpen(true);
        return;
      }
      if (pendingG.current !== undefined && Date.now() - pendingG.current < 1_500) {
        pendingG.current = undefined;
        const href = GO_TO[event.key];
        if (href && allowed.has(href)) {
          event.preventDefault();
          router.push(href);
        }
        return;
      }
      pendingG.current = event.key === "g" ? Date.now() : undefined;
    }
    window.addEventListener("keydown", onKeyDown);
    // For suites driving the keyboard: the shortcuts listen from now on.
    document.documentElement.dataset.shortcuts = "on";
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      delete document.documentElement.dataset.shortcuts;
    };
  }, [items, router]);

  return open ? <CommandPalette items={items} onClose={() => setOpen(false)} /> : null;
}

"use client";

import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

/**
 * The shell's grid and its menu button. Each part (brand, navigation, account, banner, page) is
 * rendered once: at desktop width the grid puts the navigation in a sidebar and the account in the
 * header; below it the menu button opens both under the top bar. One element per part keeps every
 * test id unique at any width.
 */
export function ShellFrame({
  brand,
  navigation,
  account,
  banner,
  children,
}: {
  brand: ReactNode;
  navigation: ReactNode;
  account: ReactNode;
  banner?: ReactNode;
  children: ReactNode;
}) {
  const pathname = usePathname();
  // Open for the page it was opened on: following a link closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <div
      className="app-shell"
      data-menu-open={open || undefined}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) setOpenOn(null);
      }}
    >
      <div className="app-shell-brand fixed-palette bg-slate-900">{brand}</div>
      <div className="app-shell-toggle fixed-palette flex items-center bg-slate-900 pr-2 md:hidden">
        <button
          type="button"
          aria-expanded={open}
          aria-controls="app-nav app-account"
          data-testid="menu-toggle"
          onClick={() => setOpenOn(open ? null : pathname)}
          className="inline-flex h-9 items-center gap-2 rounded-md px-3 text-sm font-medium text-white hover:bg-slate-800"
        >
          <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="currentColor">
            {open ? (
              <path d="M4.3 4.3a1 1 0 0 1 1.4 0L10 8.6l4.3-4.3a1 1 0 1 1 1.4 1.4L11.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4L10 11.4l-4.3 4.3a1 1 0 0 1-1.4-1.4L8.6 10 4.3 5.7a1 1 0 0 1 0-1.4Z" />
            ) : (
              <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
            )}
          </svg>
          Menu
        </button>
      </div>
      <div id="app-nav" className="app-shell-nav fixed-palette bg-slate-900">
        {navigation}
      </div>
      <div id="app-account" className="app-shell-account min-w-0">
        {account}
      </div>
      <div className="app-shell-banner min-w-0">{banner}</div>
      <main id="main" className="app-shell-main min-w-0 p-4 lg:p-6">
        {children}
      </main>
    </div>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";

import { KeyboardShortcuts } from "@/components/layout/keyboard-shortcuts";
import { RouteFocus } from "@/components/layout/route-focus";
import { RoleBadge } from "@/components/layout/role-badge";
import { ShellFrame } from "@/components/layout/shell-frame";
import { SidebarNav, type NavItem } from "@/components/layout/sidebar-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { SignOutEverywhereButton } from "@/components/layout/sign-out-everywhere-button";
import { ThemeSelect } from "@/components/layout/theme-select";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/server/auth/session";

function navFor(user: SessionUser): NavItem[] {
  const items: NavItem[] = [];
  if (can(user.role, "fleet:read")) items.push({ href: "/", label: "Fleet", testId: "nav-fleet" });
  if (can(user.role, "tenants:read")) items.push({ href: "/tenants", label: "Tenants", testId: "nav-tenants" });
  if (can(user.role, "registry:import")) items.push({ href: "/registry", label: "Registry", testId: "nav-registry" });
  if (can(user.role, "users:manage")) items.push({ href: "/users", label: "Users", testId: "nav-users" });
  if (can(user.role, "users:manage")) items.push({ href: "/tokens", label: "Tokens", testId: "nav-tokens" });
  if (can(user.role, "runbook:read")) items.push({ href: "/runs", label: "Runs", testId: "nav-runs" });
  if (can(user.role, "migration:read")) items.push({ href: "/migration", label: "Migration", testId: "nav-migration" });
  if (can(user.role, "audit:read")) items.push({ href: "/audit", label: "Audit", testId: "nav-audit" });
  if (can(user.role, "users:manage")) items.push({ href: "/diagnostics", label: "Diagnostics", testId: "nav-diagnostics" });
  return items;
}

/**
 * The frame of every signed-in page: sidebar, header with the user, and a banner slot above the
 * content for page-wide conditions (the cluster freshness banner). Below md width the sidebar and
 * the header's user fold into a menu (ShellFrame).
 */
export function AppShell({ user, banner, children }: { user: SessionUser; banner?: ReactNode; children: ReactNode }) {
  const items = navFor(user);
  return (
    <>
      <KeyboardShortcuts items={items} />
      <RouteFocus />
      <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-2 focus:left-2">
        Skip to content
      </a>
      <ShellFrame
        brand={
          <Link href="/" className="block px-4 py-3.5 text-base font-semibold tracking-tight text-white">
            Fleetdeck
          </Link>
        }
        navigation={<SidebarNav items={items} />}
        account={
          <header
            className="flex flex-wrap items-center gap-2.5 border-b border-slate-200 bg-white px-4 py-2.5 md:h-12 md:flex-nowrap md:justify-end md:py-0"
            data-testid="current-user"
          >
            <span className="min-w-0 basis-full truncate text-sm text-slate-700 md:basis-auto" data-testid="current-user-email" title={user.name}>
              {user.email}
            </span>
            <RoleBadge role={user.role} />
            <ThemeSelect />
            <SignOutEverywhereButton />
            <SignOutButton />
          </header>
        }
        banner={banner}
      >
        {children}
      </ShellFrame>
    </>
  );
}

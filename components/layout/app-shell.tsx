import Link from "next/link";
import type { ReactNode } from "react";

import { RoleBadge } from "@/components/layout/role-badge";
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
 * content for page-wide conditions (the cluster freshness banner).
 */
export function AppShell({ user, banner, children }: { user: SessionUser; banner?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh">
      <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-2 focus:left-2">
        Skip to content
      </a>
      <aside className="fixed-palette hidden w-52 shrink-0 flex-col bg-slate-900 md:flex">
        <Link href="/" className="block px-4 py-3.5 text-base font-semibold tracking-tight text-white">
          Fleetdeck
        </Link>
        <SidebarNav items={navFor(user)} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 items-center justify-between gap-3 border-b border-slate-200 bg-white px-4">
          <div className="md:hidden">
            <Link href="/" className="font-semibold">
              Fleetdeck
            </Link>
          </div>
          <nav aria-label="Main (compact)" className="flex gap-3 md:hidden">
            {navFor(user).map((item) => (
              <Link key={item.href} href={item.href} className="text-sm text-slate-700 hover:underline">
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2.5" data-testid="current-user">
            <span className="text-sm text-slate-700" data-testid="current-user-email" title={user.name}>
              {user.email}
            </span>
            <RoleBadge role={user.role} />
            <ThemeSelect />
            <SignOutEverywhereButton />
            <SignOutButton />
          </div>
        </header>
        {banner}
        <main id="main" className="min-w-0 flex-1 p-4 lg:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}

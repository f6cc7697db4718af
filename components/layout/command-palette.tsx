"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useRef, useState } from "react";

import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { orphanHref } from "@/components/orphans/orphan-href";

import type { NavItem } from "./sidebar-nav";

const TENANT_RESULTS = 8;

/**
 * Jump anywhere: a tenant by name, database, customer or id prefix (the tenants list's own search,
 * answered from the watch-fed cache, so it is instant at 10,000 tenants), or a page. In a native
 * <dialog> like the portal's other dialogs: focus stays inside, Escape closes, focus returns.
 */
export function CommandPalette({ items, onClose }: { items: NavItem[]; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const canSearchTenants = items.some((item) => item.href === "/tenants");
  const tenants = useQuery({
    ...trpc.tenants.list.queryOptions({ q, pageSize: TENANT_RESULTS, sort: "name" }),
    enabled: canSearchTenants && q.length > 0,
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLInputElement>("[cmdk-input]")?.focus();
    return () => dialog?.close();
  }, []);

  const go = (href: string) => {
    dialogRef.current?.close();
    router.push(href);
  };
  // Pages match as typed (no server round trip) and come first when one matches.
  const words = search.trim().toLowerCase();
  const pages = items.filter((item) => !words || item.label.toLowerCase().includes(words));
  const found = q.length > 0 ? (tenants.data?.items ?? []) : [];
  const orphans = q.length > 0 ? (tenants.data?.orphans ?? []).slice(0, 4) : [];

  return (
    <dialog
      ref={dialogRef}
      aria-label="Jump to"
      data-testid="command-palette"
      onClose={onClose}
      className="m-auto mt-[12vh] w-[min(36rem,calc(100vw-1rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <Command label="Jump to" shouldFilter={false} loop className="flex flex-col">
        <Command.Input
          value={search}
          onValueChange={setSearch}
          placeholder="Tenant name, database or id; or a page"
          aria-label="Jump to"
          autoFocus
          data-testid="command-palette-input"
          className="border-b border-slate-200 bg-transparent px-4 py-3 text-sm outline-none placeholder:text-slate-400"
        />
        <Command.List className="max-h-[60vh] overflow-y-auto p-1.5">
          <Command.Empty className="px-3 py-6 text-center text-sm text-slate-500">
            {tenants.isFetching ? "Searching…" : "Nothing matches. Try part of a name, a database or the start of an id."}
          </Command.Empty>
          {tenants.error ? <p className="px-3 py-2 text-sm text-red-700">{userMessageOf(tenants.error)}</p> : null}
          {pages.length > 0 && (
            <Command.Group heading="Pages" className="px-1 text-xs font-medium text-slate-500 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5">
              {pages.map((item) => (
                <Command.Item
                  key={item.href}
                  value={`page:${item.href}`}
                  onSelect={() => go(item.href)}
                  className="cursor-pointer rounded-md px-2 py-2 text-sm text-slate-800 data-[selected=true]:bg-slate-100"
                >
                  {item.label}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {orphans.length > 0 && (
            <Command.Group
              heading="Orphan workloads"
              className="px-1 text-xs font-medium text-slate-500 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5"
            >
              {orphans.map((orphan) => (
                <Command.Item
                  key={`${orphan.namespace}/${orphan.name}`}
                  value={`orphan:${orphan.namespace}/${orphan.name}`}
                  onSelect={() => go(orphanHref(orphan.instanceId))}
                  data-testid="command-palette-orphan"
                  className="flex cursor-pointer items-center justify-between gap-3 rounded-md px-2 py-2 text-sm text-slate-800 data-[selected=true]:bg-slate-100"
                >
                  <span className="min-w-0 truncate font-mono text-xs font-medium">{orphan.name}</span>
                  <span className="shrink-0 text-xs text-slate-500">orphan · {orphan.namespace}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {found.length > 0 && (
            <Command.Group heading="Tenants" className="px-1 text-xs font-medium text-slate-500 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5">
              {found.map((tenant) => (
                <Command.Item
                  key={tenant.id}
                  value={`tenant:${tenant.id}`}
                  onSelect={() => go(`/tenants/${tenant.id}`)}
                  data-testid="command-palette-tenant"
                  className="flex cursor-pointer items-center justify-between gap-3 rounded-md px-2 py-2 text-sm text-slate-800 data-[selected=true]:bg-slate-100"
                >
                  <span className="min-w-0 truncate font-medium">{tenant.name}</span>
                  <span className="shrink-0 text-xs text-slate-500">
                    {tenant.databaseName} · {tenant.health}
                  </span>
                </Command.Item>
              ))}
              {(tenants.data?.total ?? 0) > found.length && (
                <Command.Item
                  value="tenants:all"
                  onSelect={() => go(`/tenants?q=${encodeURIComponent(q)}`)}
                  className="cursor-pointer rounded-md px-2 py-2 text-sm text-blue-700 data-[selected=true]:bg-slate-100"
                >
                  All {tenants.data!.total.toLocaleString("en-US")} matches on the tenants list
                </Command.Item>
              )}
            </Command.Group>
          )}
        </Command.List>
        <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500">↑ ↓ to move · Enter to open · Esc to close · Ctrl+K anywhere</p>
      </Command>
    </dialog>
  );
}

"use client";

import { usePathname, useRouter } from "next/navigation";
import { useCallback, useTransition } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";
import { buttonClassName } from "@/components/ui/button";

import { AuditFilters, type AuditFilterValues } from "./audit-filters";
import { auditFilterOf, auditListInputOf, auditListParamsToSearch, type AuditListParams } from "./audit-list-params";
import { AuditPagination } from "./audit-pagination";
import { AuditTable } from "./audit-table";
import { LinkProblems } from "@/components/ui/link-problems";

/** `params` and `problems` are the page's reading of the URL (parse-audit-list-params.ts, on the server). */
export function AuditView({ params, problems }: { params: AuditListParams; problems: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();

  const { data: list } = useSuspenseQuery(trpc.audit.list.queryOptions(auditListInputOf(params)));

  // Every change is a history entry, so back/forward walk through the views the user saw.
  const navigate = useCallback(
    (next: Partial<AuditListParams>) => {
      startNavigation(() => router.push(`${pathname}${auditListParamsToSearch({ ...params, ...next })}`, { scroll: false }));
    },
    [params, pathname, router],
  );
  const onApply = useCallback((values: AuditFilterValues) => navigate({ ...values, page: 1 }), [navigate]);

  const filtered = Object.keys(auditFilterOf(params)).length > 0;
  // The export takes the filters only: every page of them.
  const exportSearch = auditListParamsToSearch({ ...params, page: 1, pageSize: 50 });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex items-baseline gap-3">
          <h1 className="text-xl font-semibold text-slate-900">Audit log</h1>
          <span className="text-sm text-slate-600">
            {list.total.toLocaleString("en-US")} {filtered ? "match" : "in total"}
          </span>
          {navigating && (
            <span role="status" className="text-xs text-slate-500">
              Loading…
            </span>
          )}
        </div>
        {/* A plain link: the browser downloads the file, and sends Sec-Fetch-Site: same-origin. */}
        <a href={`/api/audit/export${exportSearch}`} download className={buttonClassName()}>
          Export CSV
        </a>
      </div>

      <LinkProblems problems={problems} />

      {/* Keyed by the URL's filters, so back/forward and "Clear all" reset the form's drafts. */}
      <AuditFilters
        key={auditListParamsToSearch({ ...params, page: 1 })}
        values={params}
        actions={list.actions}
        clearHref={filtered ? pathname : null}
        onApply={onApply}
      />

      <AuditTable events={list.events} busy={navigating} />

      <AuditPagination
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        onPage={(page) => navigate({ page })}
        onPageSize={(pageSize) => navigate({ pageSize, page: 1 })}
      />
    </div>
  );
}

"use client";

import { Select } from "@/components/ui/select";
import { Button } from "@/components/ui/button";

import { PAGE_SIZE_VALUES } from "./audit-list-params";

type PageSize = (typeof PAGE_SIZE_VALUES)[number];

export function AuditPagination({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (pageSize: PageSize) => void;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Audit pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p aria-live="polite">
        {total === 0 ? "No events" : `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
      </p>
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-1.5">
          Rows per page
          <Select value={pageSize} onChange={(event) => onPageSize(Number(event.target.value) as PageSize)} className="w-20">
            {PAGE_SIZE_VALUES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </Select>
        </label>
        <Button type="button" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous<span className="sr-only"> page</span>
        </Button>
        <span>
          Page {page.toLocaleString("en-US")} of {pageCount.toLocaleString("en-US")}
        </span>
        <Button type="button" size="sm" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
          Next<span className="sr-only"> page</span>
        </Button>
      </div>
    </nav>
  );
}

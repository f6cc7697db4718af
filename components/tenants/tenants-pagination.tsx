"use client";

import { PAGE_SIZE_VALUES } from "./tenant-list-params";

export function TenantsPagination({
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
  onPageSize: (pageSize: (typeof PAGE_SIZE_VALUES)[number]) => void;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const buttonClass =
    "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";
  return (
    <nav aria-label="Tenants pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p aria-live="polite">
        {total === 0 ? "No tenants" : `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
      </p>
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-1.5">
          Rows per page
          <select
            data-testid="tenants-page-size"
            value={pageSize}
            onChange={(event) => onPageSize(Number(event.target.value) as (typeof PAGE_SIZE_VALUES)[number])}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          >
            {PAGE_SIZE_VALUES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="pagination-prev" className={buttonClass} disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous<span className="sr-only"> page</span>
        </button>
        <span>
          Page {page.toLocaleString("en-US")} of {pageCount.toLocaleString("en-US")}
        </span>
        <button type="button" data-testid="pagination-next" className={buttonClass} disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
          Next<span className="sr-only"> page</span>
        </button>
      </div>
    </nav>
  );
}

import clsx from "clsx";
import type { ReactNode } from "react";

/** A titled region of a page; the heading names the region for screen readers. */
export function Panel({
  title,
  actions,
  children,
  className,
  ...rest
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  "data-testid"?: string;
}) {
  const headingId = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid={rest["data-testid"]}
      className={clsx("min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm", className)}
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

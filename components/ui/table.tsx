import type { HTMLAttributes, TableHTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";

import { cn } from "@/components/ui/cn";

export type TableDensity = "comfortable" | "compact";

/**
 * The portal's one table look. `comfortable` (the default) is a table standing on its own: a list
 * page, the attention list, users. `compact` sits inside a card among other facts (a tenant's pods,
 * volumes, events, deployment conditions): no side padding, so its first column lines up with the
 * card's text. Cells take the density from the table through a CSS group rather than React
 * context, so the parts work in server and client components alike.
 *
 * `frameClassName` styles the scrolling frame around the table (a border, a card background).
 * The frame is positioned so that it contains its cells' absolutely positioned screen-reader
 * labels too: otherwise they escape the scrolling and widen the page on a phone.
 */
export function Table({
  density = "comfortable",
  frameClassName,
  className,
  ...props
}: TableHTMLAttributes<HTMLTableElement> & { density?: TableDensity; frameClassName?: string }) {
  return (
    <div className={cn("relative overflow-x-auto", frameClassName)}>
      <table data-density={density} className={cn("group/table w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function TableHead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cn("text-xs tracking-wide text-slate-500 uppercase group-data-[density=comfortable]/table:bg-slate-50", className)} {...props} />;
}

export function TableBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...props} />;
}

export function TableRow({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-top group-data-[density=comfortable]/table:hover:bg-slate-50/70", className)} {...props} />;
}

const CELL_PADDING =
  "group-data-[density=comfortable]/table:px-3 group-data-[density=comfortable]/table:py-2 group-data-[density=compact]/table:py-1.5 group-data-[density=compact]/table:pr-3 group-data-[density=compact]/table:last:pr-0";

export function TableHeaderCell({ className, scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope={scope} className={cn(CELL_PADDING, "font-medium whitespace-nowrap", className)} {...props} />;
}

export function TableCell({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn(CELL_PADDING, className)} {...props} />;
}

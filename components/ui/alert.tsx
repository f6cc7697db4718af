import type { ReactNode } from "react";

import { cn } from "@/components/ui/cn";

type Tone = "info" | "success" | "warning" | "danger";

const TONE: Record<Tone, string> = {
  info: "border-blue-200 bg-blue-50 text-blue-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
  danger: "border-red-200 bg-red-50 text-red-900",
};

/**
 * Warnings and errors use role="alert" so they are announced when they appear; info and success
 * use role="status", which is announced politely.
 */
export function Alert({
  tone = "info",
  title,
  children,
  actions,
  className,
  ...rest
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
  "data-testid"?: string;
}) {
  return (
    <div
      role={tone === "danger" || tone === "warning" ? "alert" : "status"}
      className={cn("flex flex-wrap items-start justify-between gap-3 rounded-md border px-3 py-2 text-sm", TONE[tone], className)}
      {...rest}
    >
      <div className="min-w-0">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={title ? "mt-0.5" : undefined}>{children}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

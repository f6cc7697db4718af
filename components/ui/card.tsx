import type { HTMLAttributes, ReactNode } from "react";

import { cn } from "@/components/ui/cn";

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  return <section className={cn("rounded-lg border border-slate-200 bg-white shadow-xs", className)} {...props} />;
}

export function CardHeader({ title, description, actions, titleId }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; titleId?: string }) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-200 px-4 py-3">
      <div>
        <h2 id={titleId} className="text-sm font-semibold">
          {title}
        </h2>
        {description ? <p className="mt-0.5 text-xs text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </header>
  );
}

export function CardBody({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("p-4", className)} {...props} />;
}

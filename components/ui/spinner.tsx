import { cn } from "@/components/ui/cn";

/** `label={null}` when the surrounding element already says what is loading. */
export function Spinner({ size = "md", label = "Loading", className }: { size?: "sm" | "md"; label?: string | null; className?: string }) {
  return (
    <span role={label ? "status" : undefined} className={cn("inline-flex items-center gap-2", className)}>
      <span
        aria-hidden="true"
        className={cn("inline-block animate-spin rounded-full border-2 border-current border-r-transparent", size === "sm" ? "size-3" : "size-4")}
      />
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  );
}

import clsx from "clsx";

export function SeverityBadge({ severity }: { severity: "critical" | "warning" }) {
  return (
    <span
      data-severity={severity}
      className={clsx(
        "inline-flex rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
        severity === "critical" ? "bg-red-50 text-red-800 ring-red-600/30" : "bg-amber-50 text-amber-800 ring-amber-600/30",
      )}
    >
      {severity === "critical" ? "Critical" : "Warning"}
    </span>
  );
}

import { cn } from "@/components/ui/cn";
import type { ObjectChangeView, PreconditionView } from "@/lib/runbooks/run-views";

const EFFECT_LABEL: Record<ObjectChangeView["effect"], string> = {
  changes: "Changes",
  removes: "Removes",
  creates: "Creates",
};

/** The kind of each unified-diff line, from its first character. */
function lineKind(line: string): "added" | "removed" | "hunk" | "context" {
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "added";
  if (line.startsWith("-")) return "removed";
  return "context";
}

const LINE_CLASS = {
  added: "bg-emerald-50 text-emerald-900",
  removed: "bg-red-50 text-red-900",
  hunk: "bg-slate-100 text-slate-500",
  context: "text-slate-700",
};

/** A unified diff as text: + lines green, - lines red, hunk headers grey; scrolls inside its own box. */
export function UnifiedDiff({ diff, label }: { diff: string; label: string }) {
  if (!diff) return <p className="text-xs text-slate-500">The object itself does not change.</p>;
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-white py-1 font-mono text-xs leading-5"
      data-testid="object-change-diff"
    >
      {diff.split("\n").map((line, index) => {
        const kind = lineKind(line);
        return (
          <span key={index} data-line={kind} className={cn("block px-2 whitespace-pre", LINE_CLASS[kind])}>
            {/* Screen readers hear the sign, which colour alone does not say. */}
            {line || " "}
          </span>
        );
      })}
    </pre>
  );
}

export function ObjectChangeList({ changes }: { changes: ObjectChangeView[] }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600">No object changes.</p>;
  return (
    <ul className="space-y-3">
      {changes.map((change, index) => (
        <li key={`${change.title}-${index}`} data-testid="object-change" data-effect={change.effect} className="min-w-0 space-y-1.5">
          <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
            <span
              className={cn(
                "rounded px-1.5 py-0.5 text-xs font-medium",
                change.effect === "removes"
                  ? "bg-red-100 text-red-800"
                  : change.effect === "creates"
                    ? "bg-emerald-100 text-emerald-800"
                    : "bg-blue-100 text-blue-800",
              )}
            >
              {EFFECT_LABEL[change.effect]}
            </span>
            <span className="font-medium text-slate-900">{change.title}</span>
          </div>
          <p className="font-mono text-xs break-all text-slate-600">{change.request}</p>
          <UnifiedDiff diff={change.diff} label={`Changes to ${change.title}`} />
        </li>
      ))}
    </ul>
  );
}

export function PreconditionList({ preconditions }: { preconditions: PreconditionView[] }) {
  if (preconditions.length === 0) return <p className="text-sm text-slate-600">This runbook has no preconditions.</p>;
  return (
    <ul className="space-y-1" aria-label="Preconditions">
      {preconditions.map((precondition) => (
        <li key={precondition.id} data-testid={`precondition-${precondition.id}`} data-ok={precondition.ok} className="flex items-start gap-2 text-sm">
          <span aria-hidden="true" className={cn("mt-0.5 font-bold", precondition.ok ? "text-emerald-700" : "text-red-700")}>
            {precondition.ok ? "✓" : "✗"}
          </span>
          <span className="min-w-0">
            <span className="sr-only">{precondition.ok ? "Passes: " : "Fails: "}</span>
            <span className={precondition.ok ? "text-slate-800" : "font-medium text-red-900"}>{precondition.label}</span>
            {!precondition.ok && precondition.reason ? <span className="block text-xs text-red-800">{precondition.reason}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

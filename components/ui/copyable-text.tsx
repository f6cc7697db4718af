import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/components/ui/cn";

/**
 * An id, an email or an object name that may be cut short in its column: the full value is its
 * tooltip, and a Copy button beside it puts the whole value on the clipboard.
 */
export function CopyableText({
  text,
  what,
  className,
  mono = false,
}: {
  text: string;
  /** Names the value for the button's accessible name: "Copy <what> <text>". */
  what: string;
  /** Width limit of the text (e.g. max-w-48), where it truncates. */
  className?: string;
  mono?: boolean;
}) {
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1.5 align-middle">
      <span title={text} data-testid="copyable-text" className={cn("min-w-0 truncate", mono && "font-mono text-xs", className)}>
        {text}
      </span>
      <CopyButton text={text} label={`Copy ${what} ${text}`} className="shrink-0" />
    </span>
  );
}

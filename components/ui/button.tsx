import { forwardRef, type ButtonHTMLAttributes } from "react";

import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";

type Variant = "primary" | "secondary" | "danger" | "ghost";
type Size = "sm" | "md";

// Filled buttons keep their light-mode colours in dark mode too (white on a saturated fill reads on both).
const VARIANT: Record<Variant, string> = {
  primary: "fixed-palette bg-blue-700 text-white hover:bg-blue-800 disabled:bg-blue-300 dark:disabled:bg-blue-900 dark:disabled:text-blue-300",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  danger: "fixed-palette bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300 dark:disabled:bg-red-900 dark:disabled:text-red-300",
  ghost: "text-slate-700 hover:bg-slate-100 disabled:text-slate-400",
};

const SIZE: Record<Size, string> = {
  sm: "h-7 px-2.5 text-xs",
  md: "h-9 px-3.5 text-sm",
};

/** The button look, for a link that acts as a button (navigation stays a real link). */
export function buttonClassName({ variant = "secondary", size = "md" }: { variant?: Variant; size?: Size } = {}): string {
  return cn("inline-flex items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap transition-colors", VARIANT[variant], SIZE[size]);
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  /** Shows a spinner, disables the button and sets aria-busy. */
  pending?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "md", pending = false, disabled, className, children, type = "button", ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={cn(buttonClassName({ variant, size }), className)}
      {...props}
    >
      {pending ? <Spinner size="sm" label={null} /> : null}
      {children}
    </button>
  );
});

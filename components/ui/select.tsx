import { forwardRef, type SelectHTMLAttributes } from "react";

import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select({ className, ...props }, ref) {
  return <select ref={ref} className={cn(inputClass, "pr-8", className)} {...props} />;
});

import { clsx, type ClassValue } from "clsx";

/** Joins class names; later Tailwind classes win by order in the markup, so keep overrides last. */
export function cn(...values: ClassValue[]): string {
  return clsx(values);
}

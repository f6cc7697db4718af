"use client";

/** Placeholder: the automatic gates panel (replaced by the gates work). */
export function GatesPanel() {
  return null;
}

"use client";

import { useEffect, useId, useRef, useState } from "react";
import clsx from "clsx";

export type FilterOption = { value: string; label: string; count?: number };

/**
 * A button that opens a group of checkboxes (a disclosure, not an ARIA menu: checkboxes keep their
 * native keyboard and screen-reader behaviour). Escape or a click outside closes it.
 */
export function FilterMenu({
  name,
  label,
  options,
  selected,
  onChange,
}: {
  name: string;
  label: string;
  options: FilterOption[];
  selected: string[];
  onChange: (selected: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOnOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", closeOnOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOnOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);

  const toggle = (value: string, checked: boolean) => onChange(checked ? [...selected, value] : selected.filter((item) => item !== value));

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        data-testid={`tenants-filter-${name}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((isOpen) => !isOpen)}
        className={clsx(
          "inline-flex items-center gap-1.5 rounded-md border px-3 py-1.5 text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-600",
          selected.length ? "border-blue-400 bg-blue-50 text-blue-900" : "border-slate-300 bg-white text-slate-700",
        )}
      >
        {label}
        {selected.length > 0 && (
          <span className="rounded-full bg-blue-600 px-1.5 text-xs font-medium text-white">
            {selected.length}
            <span className="sr-only"> selected</span>
          </span>
        )}
        <span aria-hidden className="text-slate-400">
          ▾
        </span>
      </button>
      {open && (
        <fieldset
          id={panelId}
          className="absolute left-0 z-20 mt-1 max-h-80 min-w-52 overflow-y-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg"
        >
          <legend className="sr-only">{label}</legend>
          {options.length === 0 && <p className="px-2 py-1 text-sm text-slate-500">No values yet</p>}
          {options.map((option) => (
            <label key={option.value} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50">
              <input
                type="checkbox"
                className="size-4 accent-blue-600"
                checked={selected.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              <span className="flex-1">{option.label}</span>
              {option.count !== undefined && <span className="font-mono text-xs tabular-nums text-slate-500">{option.count}</span>}
            </label>
          ))}
          {selected.length > 0 && (
            <button type="button" onClick={() => onChange([])} className="mt-1 w-full rounded px-2 py-1 text-left text-sm text-blue-700 hover:bg-slate-50">
              Clear {label.toLowerCase()}
            </button>
          )}
        </fieldset>
      )}
    </div>
  );
}

"use client";

import { useEffect, useRef, useState } from "react";

const DEBOUNCE_MS = 300;

/** Typing updates the URL (and so the server query) once the user pauses. */
export function TenantsSearch({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [draft, setDraft] = useState(value);
  const lastSent = useRef(value);

  // Back/forward or a link changes `value` from outside: show it.
  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setDraft(value);
    }
  }, [value]);

  useEffect(() => {
    const trimmed = draft.trim();
    if (trimmed === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = trimmed;
      onSearch(trimmed);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, onSearch]);

  return (
    <div className="relative min-w-64 flex-1 sm:max-w-sm">
      <label htmlFor="tenants-search" className="sr-only">
        Search tenants
      </label>
      <input
        id="tenants-search"
        data-testid="tenants-search"
        type="search"
        value={draft}
        maxLength={200}
        onChange={(event) => setDraft(event.target.value)}
        placeholder="Search name, database, customer, id…"
        autoComplete="off"
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm placeholder:text-slate-400 focus-visible:outline-2 focus-visible:outline-blue-600"
      />
    </div>
  );
}

"use client";

import { ErrorPanel } from "@/components/tenants/query-error-boundary";

export default function TenantsError({ error, reset }: { error: Error; reset: () => void }) {
  return <ErrorPanel error={error} retry={reset} />;
}

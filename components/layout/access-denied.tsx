import Link from "next/link";

import { Alert } from "@/components/ui/alert";

export function AccessDenied({ what }: { what: string }) {
  return (
    <div className="max-w-xl space-y-3" data-testid="access-denied">
      <h1 className="text-xl font-semibold">Access denied</h1>
      <Alert tone="warning" title={`Your role does not have permission to open ${what}.`}>
        Ask an administrator if you need it.{" "}
        <Link href="/" className="font-medium underline">
          Go to start
        </Link>
      </Alert>
    </div>
  );
}

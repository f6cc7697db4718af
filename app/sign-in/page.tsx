import type { Metadata } from "next";

import { SignInForm } from "@/components/layout/sign-in-form";
import { RoleBadge } from "@/components/layout/role-badge";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/server/auth/demo-accounts";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Sign in · Fleetdeck" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <main className="flex min-h-dvh items-start justify-center bg-slate-100 px-4 pt-[12vh]">
      <div className="w-full max-w-sm space-y-4">
        <div className="text-center">
          <p className="text-lg font-semibold tracking-tight text-slate-900">Fleetdeck</p>
          <h1 className="mt-1 text-sm font-normal text-slate-600">Sign in to the fleet portal</h1>
        </div>
        <SignInForm
          callbackUrl={safeCallbackPath(params.callbackUrl)}
          initialError={error}
          signedOut={params.signedOut === "1"}
          oidcEnabled={env.OIDC !== undefined}
        />
        {env.FLEETDECK_DEMO ? (
          <section
            aria-labelledby="demo-sign-ins"
            data-testid="demo-sign-ins"
            className="rounded-lg border border-dashed border-slate-300 bg-white p-3 text-xs text-slate-700"
          >
            <h2 id="demo-sign-ins" className="text-xs font-semibold">
              Demo sign-ins
            </h2>
            <p className="mt-0.5 text-slate-600">
              Password for all: <code>{DEMO_PASSWORD}</code>
            </p>
            <ul className="mt-2 space-y-1">
              {DEMO_ACCOUNTS.map((account) => (
                <li key={account.email} className="flex items-center justify-between gap-2">
                  <code>{account.email}</code>
                  <RoleBadge role={account.role} />
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </main>
  );
}

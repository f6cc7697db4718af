"use client";

import { signIn } from "next-auth/react";
import { useEffect, useState, type FormEvent } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { parseRateLimitedError } from "@/lib/auth/sign-in-message";
import { DEFAULT_USER_MESSAGE } from "@/lib/trpc/error-data";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  AccountDisabled: "This account is disabled. Ask an administrator to enable it.",
  SessionEnded: DEFAULT_USER_MESSAGE.UNAUTHORIZED,
  OidcNoRole: "Your single sign-on account is not in any group that grants access to Fleetdeck.",
  OidcNoEmail: "Your single sign-on account has no email address.",
  OidcAccountConflict: "A local account already uses this email. Sign in with email and password.",
  AccessDenied: "Access denied.",
  OAuthSignin: "Single sign-on could not be started. Try again.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  Configuration: "Sign-in is misconfigured on the server. Tell an administrator.",
};

function describe(error: string | undefined): { message: string; waitSeconds: number | null } | null {
  if (!error) return null;
  const wait = parseRateLimitedError(error);
  if (wait !== null) return { message: "Too many sign-in attempts.", waitSeconds: wait };
  return { message: MESSAGES[error] ?? "Sign-in failed. Try again.", waitSeconds: null };
}

export function SignInForm({
  callbackUrl,
  initialError,
  signedOut,
  oidcEnabled,
}: {
  callbackUrl: string;
  initialError?: string;
  signedOut: boolean;
  oidcEnabled: boolean;
}) {
  const [error, setError] = useState(() => describe(initialError));
  const [pending, setPending] = useState(false);
  const [waitLeft, setWaitLeft] = useState<number | null>(error?.waitSeconds ?? null);

  useEffect(() => {
    if (waitLeft === null || waitLeft <= 0) return;
    const timer = setTimeout(() => setWaitLeft((left) => (left === null ? null : left - 1)), 1000);
    return () => clearTimeout(timer);
  }, [waitLeft]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    });
    if (result?.ok && !result.error) {
      // A full navigation, so the server renders the portal with the new session cookie.
      window.location.assign(callbackUrl);
      return;
    }
    const described = describe(result?.error ?? "CredentialsSignin");
    setError(described);
    setWaitLeft(described?.waitSeconds ?? null);
    setPending(false);
  }

  const locked = waitLeft !== null && waitLeft > 0;

  return (
    <Card>
      <CardBody className="space-y-4">
        {signedOut && !error ? (
          <Alert tone="success" data-testid="signed-out-notice">
            You are signed out.
          </Alert>
        ) : null}
        {error ? (
          <Alert tone="danger" data-testid="sign-in-error" title={error.message}>
            {error.waitSeconds !== null ? (
              <span data-testid="sign-in-wait">{locked ? `Wait ${waitLeft} s before trying again.` : "You can try again now."}</span>
            ) : null}
          </Alert>
        ) : null}
        <form className="space-y-3" onSubmit={onSubmit}>
          <Field label="Email">
            {({ id, describedBy }) => (
              <Input id={id} name="email" type="email" autoComplete="username" required autoFocus aria-describedby={describedBy} data-testid="sign-in-email" />
            )}
          </Field>
          <Field label="Password">
            {({ id, describedBy }) => (
              <Input
                id={id}
                name="password"
                type="password"
                autoComplete="current-password"
                required
                aria-describedby={describedBy}
                data-testid="sign-in-password"
              />
            )}
          </Field>
          <Button type="submit" variant="primary" className="w-full" pending={pending} disabled={locked} data-testid="sign-in-submit">
            Sign in
          </Button>
        </form>
        {oidcEnabled ? (
          <>
            <div className="flex items-center gap-2 text-xs text-slate-500" aria-hidden="true">
              <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
            </div>
            <Button className="w-full" data-testid="sign-in-oidc" onClick={() => void signIn("oidc", { callbackUrl })}>
              Sign in with single sign-on
            </Button>
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}

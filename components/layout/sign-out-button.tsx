"use client";

import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  // The server renders the button before React attaches its click handler; until then a click
  // would do nothing. Disabled until hydrated, so people and E2E suites (which wait for an enabled
  // button) never click a dead button.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Button
      size="sm"
      variant="secondary"
      pending={pending}
      disabled={!hydrated}
      data-testid="sign-out"
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/sign-in?signedOut=1" });
      }}
    >
      Sign out
    </Button>
  );
}

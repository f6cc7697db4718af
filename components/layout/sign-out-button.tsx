"use client";

import { useState, useSyncExternalStore } from "react";

import { signOutHere } from "@/components/layout/sign-out";
import { Button } from "@/components/ui/button";

// useSyncExternalStore answers the server snapshot while hydrating and the client one from then on.
const subscribeToNothing = () => () => {};
const isClient = () => true;
const isServer = () => false;

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  // The server renders the button before React attaches its click handler; until then a click
  // would do nothing. Disabled until hydrated, so people and E2E suites (which wait for an enabled
  // button) never click a dead button.
  const hydrated = useSyncExternalStore(subscribeToNothing, isClient, isServer);
  return (
    <Button
      size="sm"
      variant="secondary"
      pending={pending}
      disabled={!hydrated}
      data-testid="sign-out"
      onClick={() => {
        setPending(true);
        void signOutHere();
      }}
    >
      Sign out
    </Button>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

import { signOutHere } from "@/components/layout/sign-out";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/components/trpc/client";

// As in SignOutButton: the server snapshot while hydrating, the client one from then on.
const subscribeToNothing = () => () => {};
const isClient = () => true;
const isServer = () => false;

/** Ends every session of the signed-in user (other browsers, copied cookies), then this one's cookie. */
export function SignOutEverywhereButton() {
  const trpc = useTRPC();
  // Disabled until hydrated, for the same reason as SignOutButton.
  const hydrated = useSyncExternalStore(subscribeToNothing, isClient, isServer);
  const endAll = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      onSuccess: () => void signOutHere(),
    }),
  );
  return (
    <Button
      size="sm"
      variant="ghost"
      pending={endAll.isPending || endAll.isSuccess}
      disabled={!hydrated}
      data-testid="sign-out-everywhere"
      title="Sign out on every device and browser"
      onClick={() => endAll.mutate()}
    >
      Sign out everywhere
    </Button>
  );
}

"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="sm"
      variant="secondary"
      pending={pending}
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

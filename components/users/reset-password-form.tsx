"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import type { UserListItem } from "@/server/auth/user-admin";

export function ResetPasswordForm({ user, onDone }: { user: UserListItem; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState<string | null>(null);
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: () => onDone(`Password of ${user.email} was reset; their sessions were ended.`),
      onSettled: () => setConfirming(null),
    }),
  );
  const fieldErrors = fieldErrorsOf(reset.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setConfirming(String(form.get("password") ?? ""));
  }

  return (
    <>
      {confirming !== null ? (
        <ConfirmDialog
          title={`Reset the password of ${user.email}?`}
          confirmLabel="Set password"
          tone="danger"
          pending={reset.isPending}
          onCancel={() => setConfirming(null)}
          onConfirm={() => reset.mutate({ userId: user.id, password: confirming })}
        >
          <p>Their current password stops working and every session they have open is ended. Give them the new password another way.</p>
        </ConfirmDialog>
      ) : null}
      <form onSubmit={onSubmit} aria-label={`New password for ${user.email}`} className="mt-2 flex items-end justify-end gap-2 text-left">
        <Field
          label="New password"
          hint="At least 12 characters."
          error={fieldErrors.password ?? (reset.error && !fieldErrors.password ? userMessageOf(reset.error) : undefined)}
          className="w-64"
        >
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              data-testid="reset-password-input"
            />
          )}
        </Field>
        <Button type="submit" size="sm" variant="primary" pending={reset.isPending} data-testid="reset-password-submit">
          Set password
        </Button>
      </form>
    </>
  );
}

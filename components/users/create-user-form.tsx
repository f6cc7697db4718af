"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { toast } from "@/components/ui/toast";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { ROLES, type Role } from "@/lib/auth/permissions";

export function CreateUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (user) => {
        toast.success(`Created ${user.email} (${user.role}).`);
        void queryClient.invalidateQueries(trpc.users.pathFilter());
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(create.error);
  const formError = create.error && Object.keys(fieldErrors).length === 0 ? userMessageOf(create.error) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    create.mutate(
      {
        email: String(form.get("email") ?? ""),
        name: String(form.get("name") ?? ""),
        role: String(form.get("role") ?? "viewer") as Role,
        password: String(form.get("password") ?? ""),
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <Card aria-labelledby="create-user-title">
      <CardHeader titleId="create-user-title" title="Add a local user" description="They sign in with this email and password." />
      <CardBody>
        <form onSubmit={onSubmit} aria-label="Add a local user" data-testid="create-user-form" className="space-y-3">
          {formError ? (
            <Alert tone="danger" data-testid="create-user-error">
              {formError}
            </Alert>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Field label="Email" error={fieldErrors.email}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  name="email"
                  type="email"
                  required
                  autoComplete="off"
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  data-testid="create-user-email"
                />
              )}
            </Field>
            <Field label="Name" error={fieldErrors.name}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  name="name"
                  required
                  autoComplete="off"
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  data-testid="create-user-name"
                />
              )}
            </Field>
            <Field label="Role" error={fieldErrors.role}>
              {({ id, describedBy }) => (
                <Select id={id} name="role" defaultValue="viewer" aria-describedby={describedBy} data-testid="create-user-role">
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Password" hint="At least 12 characters." error={fieldErrors.password}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  name="password"
                  type="password"
                  required
                  minLength={12}
                  autoComplete="new-password"
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  data-testid="create-user-password"
                />
              )}
            </Field>
          </div>
          <Button type="submit" variant="primary" pending={create.isPending} data-testid="create-user-submit">
            Add user
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "@/components/ui/toast";

import { RoleBadge } from "@/components/layout/role-badge";
import { ResetPasswordForm } from "@/components/users/reset-password-form";
import { UserSessions } from "@/components/users/user-sessions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyableText } from "@/components/ui/copyable-text";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { UserListItem } from "@/server/auth/user-admin";

/** What a role may do, for the role-change confirmation (lib/auth/permissions.ts is the matrix). */
const ROLE_MEANS: Record<Role, string> = {
  admin: "everything, including managing users and importing the registry",
  operator: "the fleet, tenants and logs, running runbooks and acknowledging problems",
  pm: "the fleet and tenants (read-only) and editing migration tracking",
  viewer: "read-only access to the fleet, tenants and migration",
};

type PendingChange = { kind: "role"; user: UserListItem; role: Role } | { kind: "disable"; user: UserListItem; disabled: boolean };

export function UsersTable({ users, currentUserId }: { users: UserListItem[]; currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [resettingId, setResettingId] = useState<string | null>(null);
  const [sessionsOfId, setSessionsOfId] = useState<string | null>(null);
  const [pendingChange, setPendingChange] = useState<PendingChange | null>(null);

  const onSettled = () => queryClient.invalidateQueries(trpc.users.pathFilter());
  const onError = (error: unknown) => toast.error("The change was not made", { description: userMessageOf(error) });
  const done = () => setPendingChange(null);

  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (user) => toast.success(`${user.email} is now ${user.role}.`),
      onError,
      onSettled: () => {
        done();
        return onSettled();
      },
    }),
  );
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (user) => toast.success(`${user.email} is ${user.disabled ? "disabled and signed out everywhere" : "enabled"}.`),
      onError,
      onSettled: () => {
        done();
        return onSettled();
      },
    }),
  );

  if (users.length === 0) return <EmptyState title="No users yet" />;

  return (
    <div>
      {pendingChange?.kind === "role" ? (
        <ConfirmDialog
          title={`Change the role of ${pendingChange.user.email}?`}
          confirmLabel={`Make ${pendingChange.role}`}
          pending={setRole.isPending}
          onCancel={done}
          onConfirm={() => setRole.mutate({ userId: pendingChange.user.id, role: pendingChange.role })}
        >
          <p>
            From <strong>{pendingChange.user.role}</strong> to <strong>{pendingChange.role}</strong>: {ROLE_MEANS[pendingChange.role]}.
          </p>
          <p>It applies to their open sessions from their next request, and the change is recorded in the audit log.</p>
        </ConfirmDialog>
      ) : null}
      {pendingChange?.kind === "disable" ? (
        <ConfirmDialog
          title={`${pendingChange.disabled ? "Disable" : "Enable"} ${pendingChange.user.email}?`}
          confirmLabel={pendingChange.disabled ? "Disable" : "Enable"}
          tone={pendingChange.disabled ? "danger" : "primary"}
          pending={setDisabled.isPending}
          onCancel={done}
          onConfirm={() => setDisabled.mutate({ userId: pendingChange.user.id, disabled: pendingChange.disabled })}
        >
          {pendingChange.disabled ? (
            <p>They are signed out everywhere at once and cannot sign in until an admin enables them again. Their audit history stays.</p>
          ) : (
            <p>They can sign in again with their {pendingChange.user.authProvider === "oidc" ? "single sign-on account" : "password"}.</p>
          )}
        </ConfirmDialog>
      ) : null}
      <Table aria-label="Users" data-testid="users-table">
        <TableHead>
          <tr>
            <TableHeaderCell>Email</TableHeaderCell>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Sign-in</TableHeaderCell>
            <TableHeaderCell>Role</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {users.map((user) => {
            const self = user.id === currentUserId;
            const busy = (setRole.isPending && setRole.variables?.userId === user.id) || (setDisabled.isPending && setDisabled.variables?.userId === user.id);
            return (
              <TableRow key={user.id} data-testid={`user-row-${user.email}`} data-user-email={user.email}>
                <TableCell className="font-medium">
                  <CopyableText text={user.email} what="email" className="max-w-56" />
                  {self ? <span className="ml-1.5 text-xs text-slate-500">(you)</span> : null}
                </TableCell>
                <TableCell>{user.name}</TableCell>
                <TableCell>{user.authProvider === "oidc" ? "Single sign-on" : "Password"}</TableCell>
                <TableCell>
                  {self ? (
                    <RoleBadge role={user.role} />
                  ) : (
                    <Select
                      aria-label={`Role of ${user.email}`}
                      data-testid="user-role-select"
                      value={user.role}
                      disabled={busy}
                      className="w-32 min-w-32 py-1"
                      onChange={(event) => setPendingChange({ kind: "role", user, role: event.target.value as Role })}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </Select>
                  )}
                </TableCell>
                <TableCell>{user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}</TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1.5">
                    <Button
                      size="sm"
                      variant="ghost"
                      data-testid="user-sessions-toggle"
                      aria-label={`Sessions of ${user.email}`}
                      aria-expanded={sessionsOfId === user.id}
                      onClick={() => setSessionsOfId(sessionsOfId === user.id ? null : user.id)}
                    >
                      Sessions
                    </Button>
                    {user.authProvider === "local" ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        data-testid="user-reset-password"
                        aria-label={`Reset password of ${user.email}`}
                        aria-expanded={resettingId === user.id}
                        onClick={() => setResettingId(resettingId === user.id ? null : user.id)}
                      >
                        Reset password
                      </Button>
                    ) : null}
                    {self ? null : (
                      <Button
                        size="sm"
                        variant={user.disabled ? "secondary" : "danger"}
                        data-testid={user.disabled ? "user-enable" : "user-disable"}
                        aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}
                        pending={setDisabled.isPending && setDisabled.variables?.userId === user.id}
                        disabled={busy}
                        onClick={() => setPendingChange({ kind: "disable", user, disabled: !user.disabled })}
                      >
                        {user.disabled ? "Enable" : "Disable"}
                      </Button>
                    )}
                  </div>
                  {resettingId === user.id ? (
                    <ResetPasswordForm
                      user={user}
                      onDone={(text) => {
                        setResettingId(null);
                        toast.success(text);
                      }}
                    />
                  ) : null}
                  {sessionsOfId === user.id ? <UserSessions user={user} onDone={(text) => toast.success(text)} /> : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

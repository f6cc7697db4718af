"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { RoleBadge } from "@/components/layout/role-badge";
import { ResetPasswordForm } from "@/components/users/reset-password-form";
import { UserSessions } from "@/components/users/user-sessions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { UserListItem } from "@/server/auth/user-admin";

export function UsersTable({ users, currentUserId }: { users: UserListItem[]; currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [resettingId, setResettingId] = useState<string | null>(null);
  const [sessionsOfId, setSessionsOfId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "danger"; text: string } | null>(null);

  const onSettled = () => queryClient.invalidateQueries(trpc.users.pathFilter());
  const onError = (error: unknown) => setNotice({ tone: "danger", text: userMessageOf(error) });

  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (user) => setNotice({ tone: "success", text: `${user.email} is now ${user.role}.` }),
      onError,
      onSettled,
    }),
  );
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (user) => setNotice({ tone: "success", text: `${user.email} is ${user.disabled ? "disabled" : "enabled"}.` }),
      onError,
      onSettled,
    }),
  );

  if (users.length === 0) return <EmptyState title="No users yet" />;

  return (
    <div>
      {notice ? (
        <div className="px-4 pt-3">
          <Alert tone={notice.tone} data-testid="users-notice">
            {notice.text}
          </Alert>
        </div>
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
                  {user.email}
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
                      onChange={(event) => setRole.mutate({ userId: user.id, role: event.target.value as Role })}
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
                        onClick={() => setDisabled.mutate({ userId: user.id, disabled: !user.disabled })}
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
                        setNotice({ tone: "success", text });
                      }}
                    />
                  ) : null}
                  {sessionsOfId === user.id ? <UserSessions user={user} onDone={(text) => setNotice({ tone: "success", text })} /> : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

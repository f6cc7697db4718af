"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Suspense } from "react";

import { ErrorBoundaryCard } from "@/components/users/error-boundary-card";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UsersTable } from "@/components/users/users-table";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/components/trpc/client";

function UsersList({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const { data: users } = useSuspenseQuery(trpc.users.list.queryOptions());
  return <UsersTable users={users} currentUserId={currentUserId} />;
}

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Users</h1>
        <p className="text-sm text-slate-600">
          Who may sign in and with which role. Single sign-on users get their role from their identity-provider groups at every sign-in.
        </p>
      </div>
      <Card aria-labelledby="users-list-title">
        <CardHeader titleId="users-list-title" title="Accounts" />
        <ErrorBoundaryCard>
          <Suspense
            fallback={
              <div aria-busy="true" className="space-y-2 p-4">
                <Skeleton className="h-6" />
                <Skeleton className="h-6" />
                <Skeleton className="h-6" />
              </div>
            }
          >
            <UsersList currentUserId={currentUserId} />
          </Suspense>
        </ErrorBoundaryCard>
      </Card>
      <CreateUserForm />
    </div>
  );
}

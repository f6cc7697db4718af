"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import type { UserListItem } from "@/server/auth/user-admin";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A user's standing sessions, each revocable, for the Users page. */
export function UserSessions({ user, onDone }: { user: UserListItem; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.users.sessions.queryOptions({ userId: user.id }));
  const onSettled = () => queryClient.invalidateQueries(trpc.users.sessions.queryFilter({ userId: user.id }));
  const revoke = useMutation(trpc.users.revokeSession.mutationOptions({ onSettled }));
  const revokeAll = useMutation(
    trpc.users.revokeAllSessions.mutationOptions({
      onSuccess: ({ revoked }) => onDone(`Ended ${revoked} session${revoked === 1 ? "" : "s"} of ${user.email}.`),
      onSettled,
    }),
  );
  const error = sessions.error ?? revoke.error ?? revokeAll.error;

  return (
    <section
      aria-label={`Sessions of ${user.email}`}
      data-testid="user-sessions"
      className="mt-2 ml-auto w-96 max-w-full space-y-2 text-left whitespace-normal"
    >
      {error ? <Alert tone="danger">{userMessageOf(error)}</Alert> : null}
      {sessions.isPending ? <Spinner /> : null}
      {sessions.data?.length === 0 ? <p className="text-sm text-slate-600">No active sessions.</p> : null}
      {sessions.data && sessions.data.length > 0 ? (
        <>
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {sessions.data.map((session) => (
              <li key={session.id} data-testid="session-row" className="flex items-center justify-between gap-3 px-3 py-1.5 text-xs">
                <span className="min-w-0">
                  <span className="block text-slate-800">
                    Signed in {when.format(session.createdAt)} · last seen {when.format(session.lastSeenAt)}
                  </span>
                  <span className="block truncate text-slate-500" title={session.userAgent ?? undefined}>
                    {session.sourceAddress ?? "unknown address"} · {session.userAgent ?? "unknown browser"}
                  </span>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  data-testid="session-revoke"
                  aria-label={`Revoke session from ${session.sourceAddress ?? "unknown address"} signed in ${when.format(session.createdAt)}`}
                  pending={revoke.isPending && revoke.variables?.sessionId === session.id}
                  onClick={() => revoke.mutate({ userId: user.id, sessionId: session.id })}
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
          <div className="flex justify-end">
            <Button
              size="sm"
              variant="danger"
              data-testid="sessions-revoke-all"
              pending={revokeAll.isPending}
              onClick={() => revokeAll.mutate({ userId: user.id })}
            >
              Revoke all
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}

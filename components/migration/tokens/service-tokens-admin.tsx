"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Suspense, useState, type FormEvent } from "react";

import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { ErrorBoundaryCard } from "@/components/users/error-boundary-card";
import { SERVICE_TOKEN_SCOPE_LABELS, SERVICE_TOKEN_SCOPES, type ServiceTokenScope, type ServiceTokenView } from "@/lib/migration/service-tokens";

const STATUS_TONE = { active: "success", expired: "warning", revoked: "neutral" } as const;

/** Service tokens for the migration scripts: create (the secret shows once), list, revoke. */
export function ServiceTokensAdmin() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Service tokens</h1>
        <p className="text-sm text-slate-600">
          Tokens the migration scripts use to report the steps they do outside the cluster (POST /api/migration/v1/tenants/&lt;id&gt;/steps). Only a hash of
          each secret is stored; every call is in the audit log.
        </p>
      </div>
      <CreateTokenForm />
      <Card aria-labelledby="tokens-list-title">
        <CardHeader titleId="tokens-list-title" title="Tokens" />
        <ErrorBoundaryCard>
          <Suspense
            fallback={
              <div aria-busy="true" className="space-y-2 p-4">
                <Skeleton className="h-6" />
                <Skeleton className="h-6" />
              </div>
            }
          >
            <TokensList />
          </Suspense>
        </ErrorBoundaryCard>
      </Card>
    </div>
  );
}

function CreateTokenForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.serviceTokens.create.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries(trpc.serviceTokens.pathFilter()) }),
  );
  const fieldErrors = fieldErrorsOf(create.error);
  const formError = create.error && Object.keys(fieldErrors).length === 0 ? userMessageOf(create.error) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get("expiresInDays") ?? "").trim();
    create.mutate(
      {
        name: String(form.get("name") ?? ""),
        scopes: form.getAll("scopes").map(String) as ServiceTokenScope[],
        expiresInDays: days ? Number(days) : undefined,
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <Card aria-labelledby="create-token-title">
      <CardHeader
        titleId="create-token-title"
        title="Create a token"
        description="The secret is shown once, right after creating it: copy it into the script's configuration."
      />
      <CardBody>
        <form onSubmit={onSubmit} aria-label="Create a token" data-testid="create-token-form" className="space-y-3">
          {formError ? (
            <Alert tone="danger" data-testid="create-token-error">
              {formError}
            </Alert>
          ) : null}
          {create.isSuccess ? (
            <Alert
              tone="success"
              title={`Token “${create.data.token.name}” created. Copy its secret now: it is not shown again.`}
              data-testid="create-token-success"
            >
              <code className="mt-1 block font-mono text-xs break-all select-all" data-testid="token-secret">
                {create.data.secret}
              </code>
            </Alert>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label="Name" hint="The script or host that uses it." error={fieldErrors.name}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  name="name"
                  required
                  maxLength={100}
                  autoComplete="off"
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  data-testid="create-token-name"
                />
              )}
            </Field>
            <Field label="Expires after (days)" hint="Empty: never expires." error={fieldErrors.expiresInDays}>
              {({ id, describedBy, invalid }) => (
                <Input
                  id={id}
                  name="expiresInDays"
                  type="number"
                  min={1}
                  step={1}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  data-testid="create-token-expiry"
                />
              )}
            </Field>
            <fieldset className="space-y-1">
              <legend className="text-xs font-medium text-slate-700">Scopes</legend>
              {SERVICE_TOKEN_SCOPES.map((scope) => (
                <label key={scope} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={scope} defaultChecked className="mt-1" data-testid={`create-token-scope-${scope}`} />
                  <span>
                    <span className="font-mono text-xs">{scope}</span> <span className="text-slate-600">{SERVICE_TOKEN_SCOPE_LABELS[scope]}</span>
                  </span>
                </label>
              ))}
              {fieldErrors.scopes ? <p className="text-xs text-red-700">{fieldErrors.scopes}</p> : null}
            </fieldset>
          </div>
          <Button type="submit" variant="primary" pending={create.isPending} data-testid="create-token-submit">
            Create token
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}

function TokensList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: tokens } = useSuspenseQuery(trpc.serviceTokens.list.queryOptions());
  const [notice, setNotice] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const revoke = useMutation(
    trpc.serviceTokens.revoke.mutationOptions({
      onSuccess: (token) => setNotice({ tone: "success", text: `Revoked “${token.name}”: the scripts using it are refused from now on.` }),
      onError: (error) => setNotice({ tone: "danger", text: userMessageOf(error) }),
      onSettled: () => queryClient.invalidateQueries(trpc.serviceTokens.pathFilter()),
    }),
  );

  if (tokens.length === 0) return <EmptyState title="No service tokens yet">Create one above for the migration scripts.</EmptyState>;
  return (
    <div>
      {notice ? (
        <div className="px-4 pt-3">
          <Alert tone={notice.tone} data-testid="tokens-notice">
            {notice.text}
          </Alert>
        </div>
      ) : null}
      <Table aria-label="Service tokens" data-testid="tokens-table">
        <TableHead>
          <tr>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Prefix</TableHeaderCell>
            <TableHeaderCell>Scopes</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Created</TableHeaderCell>
            <TableHeaderCell>Expires</TableHeaderCell>
            <TableHeaderCell>Last used</TableHeaderCell>
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {tokens.map((token) => (
            <TokenRow
              key={token.id}
              token={token}
              pending={revoke.isPending && revoke.variables?.tokenId === token.id}
              onRevoke={() => revoke.mutate({ tokenId: token.id })}
            />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function TokenRow({ token, pending, onRevoke }: { token: ServiceTokenView; pending: boolean; onRevoke: () => void }) {
  return (
    <TableRow data-testid="token-row" data-name={token.name} data-status={token.status}>
      <TableCell className="font-medium">{token.name}</TableCell>
      <TableCell className="font-mono text-xs">{token.prefix}…</TableCell>
      <TableCell className="font-mono text-xs">{token.scopes.join(", ")}</TableCell>
      <TableCell>
        <Badge tone={STATUS_TONE[token.status]} data-testid="token-status">
          {token.status}
          {token.status === "revoked" && token.revokedByEmail ? ` by ${token.revokedByEmail}` : ""}
        </Badge>
      </TableCell>
      <TableCell className="text-xs text-slate-600">
        <RelativeTime iso={token.createdAt} /> by {token.createdByEmail}
      </TableCell>
      <TableCell className="text-xs text-slate-600">
        {token.expiresAt ? (
          <time dateTime={token.expiresAt} title={token.expiresAt}>
            {token.expiresAt.slice(0, 10)}
          </time>
        ) : (
          "never"
        )}
      </TableCell>
      <TableCell className="text-xs text-slate-600">{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : "never"}</TableCell>
      <TableCell className="text-right">
        {token.status !== "revoked" ? (
          <Button size="sm" variant="danger" pending={pending} onClick={onRevoke} data-testid="revoke-token">
            Revoke
          </Button>
        ) : null}
      </TableCell>
    </TableRow>
  );
}

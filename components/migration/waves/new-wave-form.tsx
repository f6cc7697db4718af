"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";

import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsOf, userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { waveCreateSchema, type WaveSelection } from "@/lib/migration/wave-schemas";
import { TENANT_SIZE_LABELS, TENANT_SIZES, type TenantSize } from "@/lib/migration/waves";
import { INSTANCE_TYPES, type InstanceType } from "@/lib/tenants/types";

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** datetime-local text (the user's zone) → ISO instant, or undefined when empty. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The new wave form; it checks the input with the router's own schema as the PM types. */
export function NewWaveForm({ onCreated }: { onCreated: (waveId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [instanceTypes, setInstanceTypes] = useState<InstanceType[]>([]);
  const [sizes, setSizes] = useState<TenantSize[]>([]);
  const [odooVersions, setOdooVersions] = useState("");
  const [customer, setCustomer] = useState("");
  const [tenantIds, setTenantIds] = useState("");
  const [limit, setLimit] = useState("");
  const [batchSize, setBatchSize] = useState("10");
  const [concurrency, setConcurrency] = useState("5");
  const [failureBudget, setFailureBudget] = useState("3");
  const [exitGateHours, setExitGateHours] = useState("24");
  const [windowStart, setWindowStart] = useState("");
  const [windowEnd, setWindowEnd] = useState("");

  const selection: WaveSelection = {
    instanceTypes,
    sizes,
    odooVersions: splitList(odooVersions),
    customer: customer.trim(),
    tenantIds: splitList(tenantIds).map((id) => id.toLowerCase()),
    ...(limit.trim() ? { limit: Number(limit) } : {}),
  };
  const deferredSelection = useDeferredValue(selection);
  const preview = useQuery({
    ...trpc.migration.waves.previewSelection.queryOptions({ selection: deferredSelection }),
    retry: false,
    placeholderData: (previous) => previous,
  });

  const input = {
    name,
    description,
    selection,
    batchSize: Number(batchSize),
    concurrency: Number(concurrency),
    failureBudget: Number(failureBudget),
    exitGateHours: Number(exitGateHours),
    ...(windowStart ? { windowStart: localToIso(windowStart) } : {}),
    ...(windowEnd ? { windowEnd: localToIso(windowEnd) } : {}),
  };
  const local = waveCreateSchema.safeParse(input);
  const localErrors: Record<string, string | undefined> = {};
  for (const issue of local.error?.issues ?? []) localErrors[String(issue.path[0])] ??= issue.message;

  const create = useMutation(
    trpc.migration.waves.create.mutationOptions({
      onSuccess: async (wave) => {
        toast.success(`Wave “${wave.name}” created`, { description: `${wave.tenantCount} tenants scheduled in batches of ${wave.batchSize}.` });
        await queryClient.invalidateQueries(trpc.migration.waves.pathFilter());
        onCreated(wave.id);
      },
    }),
  );
  const serverErrors = fieldErrorsOf(create.error);
  const [submitted, setSubmitted] = useState(false);
  const errorOf = (field: string) => (submitted ? (localErrors[field] ?? serverErrors[field]) : serverErrors[field]);

  return (
    <form
      aria-label="New wave"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (local.success) create.mutate(local.data);
      }}
    >
      <div className="grid gap-3 md:grid-cols-2">
        <Field label="Name" error={errorOf("name")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              placeholder="Canary: internal and demo tenants"
            />
          )}
        </Field>
        <Field label="Description" hint="Optional: what this wave is for">
          {({ id, describedBy }) => <Input id={id} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={describedBy} />}
        </Field>
      </div>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Tenants</legend>
        <div className="flex flex-wrap gap-6">
          <div role="group" aria-label="Instance type" className="space-y-1 text-sm">
            <p className="font-medium">Instance type</p>
            {INSTANCE_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-2">
                <input type="checkbox" checked={instanceTypes.includes(type)} onChange={() => setInstanceTypes(toggle(instanceTypes, type))} />
                <span className="capitalize">{type}</span>
              </label>
            ))}
          </div>
          <div role="group" aria-label="Size" className="space-y-1 text-sm">
            <p className="font-medium">Size</p>
            {TENANT_SIZES.map((size) => (
              <label key={size} className="flex items-center gap-2">
                <input type="checkbox" checked={sizes.includes(size)} onChange={() => setSizes(toggle(sizes, size))} />
                {TENANT_SIZE_LABELS[size]}
              </label>
            ))}
          </div>
        </div>
        <div className="grid gap-3 md:grid-cols-3">
          <Field label="Odoo versions" hint="Comma-separated, e.g. 16.0, 17.0; empty: any">
            {({ id, describedBy }) => <Input id={id} value={odooVersions} onChange={(e) => setOdooVersions(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field label="Customer" hint="Part of the customer id or email">
            {({ id, describedBy }) => <Input id={id} value={customer} onChange={(e) => setCustomer(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field label="At most" hint="Tenants in this wave; empty: all that match" error={errorOf("selection")}>
            {({ id, describedBy, invalid }) => (
              <Input
                id={id}
                inputMode="numeric"
                value={limit}
                onChange={(e) => setLimit(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
        </div>
        <Field label="Tenant ids" hint="Pick tenants by hand: instance UUIDs separated by commas or new lines; the filters narrow them further">
          {({ id, describedBy }) => (
            <textarea
              id={id}
              rows={3}
              value={tenantIds}
              onChange={(e) => setTenantIds(e.target.value)}
              aria-describedby={describedBy}
              className="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-xs"
            />
          )}
        </Field>
        <p className="text-sm" role="status" data-testid="wave-selection-preview">
          {preview.error ? (
            <span className="text-red-800">{userMessageOf(preview.error)}</span>
          ) : preview.data ? (
            <>
              <strong>{preview.data.eligible}</strong> tenants can join ({preview.data.matching} match)
              {preview.data.excluded.length > 0 ? `; left out: ${preview.data.excluded.map((e) => `${e.count} ${e.reason}`).join(", ")}` : ""}.
            </>
          ) : (
            "Counting the tenants that match…"
          )}
        </p>
        {preview.data?.canaryFirst && preview.data.production > 0 ? (
          <Alert tone="warning" title="No wave has completed yet: make this one the canary." data-testid="wave-canary-warning">
            The plan starts with internal and demo tenants (development and staging) to learn on; this selection has {preview.data.production} production tenant
            {preview.data.production === 1 ? "" : "s"}. Tick Development and Staging to leave them for a later wave.
          </Alert>
        ) : null}
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-2 md:grid-cols-4">
        <Field label="Batch size" hint="1-50 tenants per batch" error={errorOf("batchSize")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              inputMode="numeric"
              value={batchSize}
              onChange={(e) => setBatchSize(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field label="Concurrency" hint="Runs at a time, 1-20" error={errorOf("concurrency")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              inputMode="numeric"
              value={concurrency}
              onChange={(e) => setConcurrency(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field label="Failure budget" hint="Pause after this many failed runs" error={errorOf("failureBudget")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              inputMode="numeric"
              value={failureBudget}
              onChange={(e) => setFailureBudget(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field label="Exit gate (hours)" hint="Verified and healthy this long to complete" error={errorOf("exitGateHours")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              inputMode="numeric"
              value={exitGateHours}
              onChange={(e) => setExitGateHours(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field label="Window start (local)" error={errorOf("windowStart")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              type="datetime-local"
              value={windowStart}
              onChange={(e) => setWindowStart(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field label="Window end (local)" error={errorOf("windowEnd")}>
          {({ id, describedBy, invalid }) => (
            <Input
              id={id}
              type="datetime-local"
              value={windowEnd}
              onChange={(e) => setWindowEnd(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
      </div>
      {create.error ? (
        <Alert tone="danger" title="The wave was not created.">
          {userMessageOf(create.error)}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" pending={create.isPending} disabled={preview.data?.eligible === 0}>
        Create wave
      </Button>
    </form>
  );
}

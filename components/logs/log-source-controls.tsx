"use client";

import { RelativeTime } from "@/components/tenants/relative-time";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { LogTarget, LogTargetContainer } from "./log-types";
import { SINCE_PRESETS, TAIL_VALUES, type LogViewParams } from "./log-view-params";

const TAIL_LABEL: Record<(typeof TAIL_VALUES)[number], string> = {
  "100": "Last 100 lines",
  "1000": "Last 1,000 lines",
  "5000": "Last 5,000 lines",
  all: "All lines (up to 50,000)",
};
const SINCE_LABEL: Record<string, string> = { "": "Any time", "5m": "Last 5 minutes", "1h": "Last hour", "24h": "Last 24 hours" };

/** A pod's own container when it has one, else its first: what `?pod=` alone means. */
export function defaultContainerOf(target: LogTarget | undefined): string | undefined {
  return (target?.containers.find((container) => !container.init) ?? target?.containers[0])?.name;
}

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function LogSourceControls({
  targets,
  params,
  container,
  containerInfo,
  onChange,
}: {
  targets: LogTarget[];
  params: LogViewParams;
  container: string | undefined;
  containerInfo: LogTargetContainer | undefined;
  onChange(change: Partial<LogViewParams>): void;
}) {
  const selected = params.pod ? `${params.pod}/${container ?? ""}` : "";
  const knownPod = !params.pod || targets.some((target) => target.pod === params.pod);
  const sinceChoice = params.since === "" || (SINCE_PRESETS as readonly string[]).includes(params.since) ? params.since : "time";
  const canShowPrevious = Boolean(containerInfo?.hasPrevious);

  return (
    <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
      <Field label="Container">
        {({ id }) => (
          <Select
            id={id}
            value={selected}
            data-testid="log-container-picker"
            onChange={(event) => {
              const [pod, name] = event.target.value.split("/");
              onChange({ pod: pod || undefined, container: name || undefined, previous: false });
            }}
          >
            <option value="">All pods and containers</option>
            {!knownPod && <option value={selected}>{`${params.pod} (no longer running)`}</option>}
            {targets.map((target) => (
              <optgroup key={target.pod} label={`${target.pod} (${target.phase})`}>
                {target.containers.map((entry) => (
                  <option key={entry.name} value={`${target.pod}/${entry.name}`}>
                    {entry.name}
                    {entry.sidecar ? " (sidecar)" : entry.init ? " (init)" : ""}
                    {entry.restartCount ? ` · ${entry.restartCount} restarts` : ""}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Tail">
        {({ id }) => (
          <Select id={id} value={params.tail} onChange={(event) => onChange({ tail: event.target.value as LogViewParams["tail"] })}>
            {TAIL_VALUES.map((value) => (
              <option key={value} value={value}>
                {TAIL_LABEL[value]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Since">
        {({ id }) => (
          <Select
            id={id}
            value={sinceChoice}
            onChange={(event) => {
              const value = event.target.value;
              onChange({ since: value === "time" ? new Date(Date.now() - 3_600_000).toISOString() : value });
            }}
          >
            {["", ...SINCE_PRESETS].map((value) => (
              <option key={value} value={value}>
                {SINCE_LABEL[value]}
              </option>
            ))}
            <option value="time">A chosen time…</option>
          </Select>
        )}
      </Field>
      {sinceChoice === "time" && (
        <Field label="Since time (local)">
          {({ id }) => (
            <Input
              id={id}
              type="datetime-local"
              value={toLocalInput(params.since)}
              onChange={(event) => {
                const at = Date.parse(event.target.value);
                if (!Number.isNaN(at)) onChange({ since: new Date(at).toISOString() });
              }}
            />
          )}
        </Field>
      )}
      <div className="flex flex-col gap-1">
        <label
          className="flex items-center gap-1.5 text-sm text-slate-800 has-disabled:text-slate-400"
          title={
            !params.pod
              ? "Choose one container to read its previous run"
              : canShowPrevious
                ? "The log of the run before the last restart"
                : "This container has not restarted, so there is no previous log"
          }
        >
          <input
            type="checkbox"
            checked={params.previous && canShowPrevious}
            disabled={!canShowPrevious}
            onChange={(event) => onChange({ previous: event.target.checked })}
          />
          Previous container
        </label>
      </div>
      {containerInfo && (containerInfo.restartCount > 0 || containerInfo.lastTermination) && (
        <p data-testid="log-termination" className="rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-950">
          Restarted {containerInfo.restartCount} {containerInfo.restartCount === 1 ? "time" : "times"}
          {containerInfo.lastTermination && (
            <>
              {" · last run ended: "}
              <strong>{containerInfo.lastTermination.reason ?? "terminated"}</strong>
              {containerInfo.lastTermination.exitCode !== undefined && <>, exit code {containerInfo.lastTermination.exitCode}</>}
              {containerInfo.lastTermination.finishedAt && (
                <>
                  , <RelativeTime iso={containerInfo.lastTermination.finishedAt} />
                </>
              )}
            </>
          )}
          {containerInfo.state ? ` · now ${containerInfo.state}` : ""}
        </p>
      )}
    </div>
  );
}

"use client";

import clsx from "clsx";
import Link from "next/link";
import { Suspense, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { useTRPC } from "@/components/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClassName } from "@/components/ui/button";
import { emptyView, indexOfSeq, MAX_BUFFERED_LINES, updateView, type LogBuffer, type LogView, type LogViewFilter } from "./log-buffer";
import { logFileLine, logFileName } from "./log-download";
import { passesLevelFilter } from "./log-level";
import { LogLineList, type LogLineListHandle } from "./log-line-list";
import { buildMatcher } from "./log-search";
import { LogSearchControls } from "./log-search-controls";
import { defaultContainerOf, LogSourceControls } from "./log-source-controls";
import { LogStatusBar } from "./log-status-bar";
import { downloadHrefOf, logSourceOf, logViewSearch, type LogViewParams } from "./log-view-params";
import { useLogStream } from "./use-log-stream";
import { useNarrowScreen } from "@/components/ui/use-narrow-screen";

export interface LogViewerTenant {
  id: string;
  name: string;
  databaseName: string;
}

export function LogViewer(props: { tenant: LogViewerTenant; initialParams: LogViewParams; notices: string[] }) {
  return (
    <div className="space-y-3" data-testid="log-viewer">
      <header className="space-y-1">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href={`/tenants/${props.tenant.id}`} className="text-blue-700 hover:underline">
            ← {props.tenant.name}
          </Link>
        </nav>
        <h1 className="text-xl font-semibold text-slate-900">
          Logs <span className="font-normal text-slate-500">· {props.tenant.name}</span>
        </h1>
      </header>
      {props.notices.length > 0 && (
        <Alert tone="warning">
          <ul className="list-inside list-disc">
            {props.notices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        </Alert>
      )}
      <QueryErrorBoundary>
        <Suspense fallback={<div role="status" aria-label="Loading logs" className="h-96 animate-pulse rounded-xl bg-slate-200/70" />}>
          <LogViewerLive tenant={props.tenant} initialParams={props.initialParams} />
        </Suspense>
      </QueryErrorBoundary>
    </div>
  );
}

function useFilter(params: LogViewParams) {
  const query = useDeferredValue(params.q);
  const matcher = useMemo(() => buildMatcher({ query, regex: params.regex, caseSensitive: params.case }), [query, params.regex, params.case]);
  const levels = params.level.join(",");
  const onlyMatches = params.filter;
  const filter = useMemo<LogViewFilter>(() => {
    const searching = matcher.ok && matcher.active;
    const selected = levels ? (levels.split(",") as LogViewParams["level"]) : [];
    const filterToMatches = searching && onlyMatches;
    return {
      key: JSON.stringify([query, matcher.ok, searching && params.regex, searching && params.case, filterToMatches, levels]),
      visible: (line) => passesLevelFilter(line.effectiveLevel, selected) && (!filterToMatches || matcher.test(line.plain)),
      isMatch: (line) => searching && matcher.test(line.plain),
    };
  }, [matcher, levels, onlyMatches, query, params.regex, params.case]);
  return { matcher, filter };
}

/** The lines shown, brought up to date incrementally on each batch (a full rescan only when the filter changes). */
function useLogView(buffer: LogBuffer, tick: number, filter: LogViewFilter): LogView {
  const state = useRef<{ buffer: LogBuffer; view: LogView } | null>(null);
  // The buffer (up to MAX_BUFFERED_LINES) grows in place, so the view is a cache carried from render
  // to render and extended by each batch instead of rebuilt: read and written while rendering.
  /* eslint-disable react-hooks/refs -- the in-place cache described above */
  return useMemo(() => {
    if (state.current?.buffer !== buffer) state.current = { buffer, view: emptyView() };
    state.current.view = updateView(state.current.view, buffer, filter);
    return state.current.view;
    // `tick` is the signal that the buffer grew in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [buffer, tick, filter]);
  /* eslint-enable react-hooks/refs */
}

function LogViewerLive({ tenant, initialParams }: { tenant: LogViewerTenant; initialParams: LogViewParams }) {
  const trpc = useTRPC();
  // Restart counts and termination reasons change while the page is open.
  const { data: targets } = useSuspenseQuery({ ...trpc.logs.targets.queryOptions({ tenantId: tenant.id }), refetchInterval: 5_000 });
  const [params, setParams] = useState(initialParams);
  // On a phone an unwrapped line shows only its timestamp: lines always wrap there.
  const narrow = useNarrowScreen();
  const wrap = params.wrap || narrow;
  const [following, setFollowing] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [currentMatchSeq, setCurrentMatchSeq] = useState<number | undefined>(undefined);
  const listRef = useRef<LogLineListHandle>(null);
  const change = (patch: Partial<LogViewParams>) => setParams((current) => ({ ...current, ...patch }));

  useEffect(() => {
    const search = logViewSearch(params);
    const url = `${window.location.pathname}${search ? `?${search}` : ""}`;
    // Next keeps useSearchParams in step with replaceState; no server round trip for an option change.
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [params]);

  const target = params.pod ? targets.find((entry) => entry.pod === params.pod) : undefined;
  const container = params.pod ? (params.container ?? defaultContainerOf(target)) : undefined;
  const containerInfo = target?.containers.find((entry) => entry.name === container);
  // A container that never restarted has no previous log; a pod that is gone is left to the server to explain.
  const previous = Boolean(params.pod && params.previous && (containerInfo ? containerInfo.hasPrevious : true));
  const source = logSourceOf(tenant.id, { ...params, container, previous });
  const { buffer, tick, status } = useLogStream({ ...source, follow: !previous }, attempt);
  const { matcher, filter } = useFilter(params);
  const view = useLogView(buffer, tick, filter);

  // The current match belongs to one search over one stream; another search or stream starts without one.
  const [matchScope, setMatchScope] = useState({ filterKey: filter.key, buffer });
  if (matchScope.filterKey !== filter.key || matchScope.buffer !== buffer) {
    setMatchScope({ filterKey: filter.key, buffer });
    setCurrentMatchSeq(undefined);
  }
  const matchSeqs = view.matchSeqs;
  const currentIndex = currentMatchSeq === undefined ? -1 : indexOfSeq(matchSeqs, currentMatchSeq);
  const matchPosition = currentIndex >= 0 && matchSeqs[currentIndex] === currentMatchSeq ? currentIndex + 1 : 0;

  function step(direction: 1 | -1) {
    if (!matchSeqs.length) return;
    let index: number;
    if (currentMatchSeq === undefined) index = direction === 1 ? 0 : matchSeqs.length - 1;
    else {
      const at = indexOfSeq(matchSeqs, currentMatchSeq);
      const exact = matchSeqs[at] === currentMatchSeq;
      index = direction === 1 ? (exact ? at + 1 : at) : at - 1;
      index = (index + matchSeqs.length) % matchSeqs.length;
    }
    setFollowing(false);
    setCurrentMatchSeq(matchSeqs[index]);
    listRef.current?.scrollToSeq(matchSeqs[index]);
  }

  function downloadView() {
    const text = view.seqs.map((seq) => logFileLine(buffer.at(seq)!)).join("\n");
    const url = URL.createObjectURL(new Blob([text ? `${text}\n` : ""], { type: "text/plain;charset=utf-8" }));
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = logFileName(tenant.databaseName, params.pod, container, new Date());
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const hidden = buffer.lines.length - view.seqs.length;
  const empty =
    buffer.lines.length > 0
      ? `No line passes the search and level filters (${hidden.toLocaleString("en")} lines hidden).`
      : status.state === "connecting"
        ? "Connecting to the log…"
        : status.state === "ended" || status.state === "error"
          ? "No log lines in the chosen range."
          : "Waiting for log lines…";

  return (
    <section aria-label="Log viewer" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="space-y-3 border-b border-slate-200 p-3">
        <LogSourceControls targets={targets} params={params} container={container} containerInfo={containerInfo} onChange={change} />
        <LogSearchControls
          params={params}
          searchError={matcher.ok ? undefined : matcher.error}
          matchCount={matchSeqs.length}
          matchPosition={matchPosition}
          onChange={change}
          onStep={step}
        />
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 px-3 py-2 text-sm">
        <LogStatusBar status={status} previous={previous} onRetry={() => setAttempt((value) => value + 1)} />
        <span data-testid="log-line-count" className="text-xs text-slate-600 tabular-nums">
          {view.seqs.length.toLocaleString("en")}
          {hidden > 0 && ` of ${buffer.lines.length.toLocaleString("en")}`} lines
          {buffer.base > 0 && ` · the oldest were dropped to keep the last ${MAX_BUFFERED_LINES.toLocaleString("en")}`}
        </span>
        {!previous && status.state !== "ended" && (
          <span className={clsx("text-xs", following ? "text-emerald-700" : "text-amber-800")} data-testid="log-follow-state" data-following={following}>
            {following ? "Following new lines" : "Follow paused while you read back"}
          </span>
        )}
        {!following && (
          <Button
            size="sm"
            onClick={() => {
              setFollowing(true);
              listRef.current?.scrollToEnd();
            }}
          >
            Jump to latest
          </Button>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={params.ts} onChange={(event) => change({ ts: event.target.checked })} />
            Timestamps
          </label>
          <label className="flex items-center gap-1.5" title={narrow ? "Lines always wrap on a narrow screen" : undefined}>
            <input type="checkbox" checked={wrap} disabled={narrow} onChange={(event) => change({ wrap: event.target.checked })} />
            Wrap lines
          </label>
          <Button size="sm" onClick={downloadView} disabled={view.seqs.length === 0} title="The lines shown now, as filtered, from this browser">
            Download view
          </Button>
          <a
            href={downloadHrefOf(source)}
            download
            title="The whole log with the same container, tail and time options, streamed by the server"
            className={buttonClassName({ size: "sm" })}
          >
            Download full log
          </a>
        </div>
      </div>
      <LogLineList
        ref={listRef}
        buffer={buffer}
        seqs={view.seqs}
        tick={tick}
        wrap={wrap}
        showTimestamp={params.ts}
        showSource={!params.pod}
        matcher={matcher}
        currentMatchSeq={currentMatchSeq}
        following={following}
        onFollowingChange={setFollowing}
        empty={empty}
      />
    </section>
  );
}

"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type ReactNode, type Ref } from "react";
import { indexOfSeq, type LogBuffer } from "./log-buffer";
import { LogLineRow } from "./log-line-row";
import type { LineMatcher } from "./log-search";

/** leading-5: one unwrapped line is exactly this tall, so without wrapping nothing is measured. */
const ROW_HEIGHT = 20;

export interface LogLineListHandle {
  scrollToSeq(seq: number): void;
  scrollToEnd(): void;
}

export interface LogLineListProps {
  ref?: Ref<LogLineListHandle>;
  buffer: LogBuffer;
  seqs: readonly number[];
  /** Changes whenever lines were added, so the list re-renders although `seqs` is the same array. */
  tick: number;
  wrap: boolean;
  showTimestamp: boolean;
  showSource: boolean;
  matcher: LineMatcher;
  currentMatchSeq: number | undefined;
  following: boolean;
  onFollowingChange(following: boolean): void;
  empty: ReactNode;
}

/**
 * Only the rows in view (plus a margin) are in the DOM, so 100,000 buffered lines scroll like 100.
 * Following keeps the newest line in view; scrolling up pauses it, reaching the bottom resumes it.
 */
export function LogLineList({
  ref,
  buffer,
  seqs,
  tick,
  wrap,
  showTimestamp,
  showSource,
  matcher,
  currentMatchSeq,
  following,
  onFollowingChange,
  empty,
}: LogLineListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const count = seqs.length;
  // eslint-disable-next-line react-hooks/incompatible-library -- React Compiler is not enabled; if it is, skipping this component is what TanStack Virtual needs.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => seqs[index] ?? index,
    overscan: 30,
  });
  const totalSize = virtualizer.getTotalSize();

  useImperativeHandle(ref, () => ({
    scrollToSeq(seq) {
      const index = indexOfSeq(seqs, seq);
      if (seqs[index] === seq) virtualizer.scrollToIndex(index, { align: "center" });
    },
    scrollToEnd() {
      const element = scrollRef.current;
      if (element) element.scrollTop = element.scrollHeight;
    },
  }));

  useEffect(() => {
    virtualizer.measure();
  }, [wrap, showTimestamp, showSource, virtualizer]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (following && element) element.scrollTop = element.scrollHeight;
  }, [following, count, tick, totalSize]);

  function onScroll() {
    const element = scrollRef.current;
    if (!element) return;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    // Growth of the list never moves scrollTop up; only the user does. So "up and away from the
    // bottom" is the user reading back, and reaching the bottom again means "follow".
    if (fromBottom < 8) {
      if (!following) onFollowingChange(true);
    } else if (element.scrollTop < lastScrollTop.current - 1 && following) {
      onFollowingChange(false);
    }
    lastScrollTop.current = element.scrollTop;
  }

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      role="log"
      aria-live="off"
      aria-label="Log lines"
      tabIndex={0}
      data-testid="log-lines"
      data-line-count={count}
      className="fixed-palette relative h-[calc(100dvh-25rem)] min-h-80 overflow-auto rounded-b-xl bg-slate-950 font-mono text-xs text-slate-100 focus:outline-2 focus:outline-blue-500"
    >
      {count === 0 ? (
        <div className="p-4 font-sans text-sm text-slate-400">{empty}</div>
      ) : (
        <div className="relative min-w-full" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((item) => {
            const seq = seqs[item.index];
            const line = buffer.at(seq);
            if (!line) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={wrap ? virtualizer.measureElement : undefined}
                className="absolute left-0 top-0 min-w-full"
                style={{ transform: `translateY(${item.start}px)`, height: wrap ? undefined : ROW_HEIGHT, width: wrap ? "100%" : "max-content" }}
              >
                <LogLineRow line={line} showTimestamp={showTimestamp} showSource={showSource} wrap={wrap} matcher={matcher} current={seq === currentMatchSeq} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

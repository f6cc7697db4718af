import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { LiveStatus } from "@/components/live/live-connection";
import { formatClock } from "@/components/tenants/time-format";
import type { FeedFreshness } from "@/lib/cluster/views";
import { CacheFreshness } from "./cache-freshness";

const lostAt = Date.now() - 40_000;
const fresh = (kind: FeedFreshness["kind"]): FeedFreshness => ({ kind, synced: true, objects: 3, stale: false });
const stalled = (kind: FeedFreshness["kind"], staleSince: string): FeedFreshness => ({
  ...fresh(kind),
  stale: true,
  staleSince,
  error: "No event or bookmark for 120 s, so the watch was restarted",
});

function render(freshness: FeedFreshness[], connection: LiveStatus) {
  return renderToStaticMarkup(createElement(CacheFreshness, { freshness, receivedAt: lostAt, connection }));
}

describe("CacheFreshness", () => {
  it("says Live only while this browser's stream is open", () => {
    expect(render([fresh("pods")], { state: "live" })).toMatch(/data-state="live".*Live · updated/);
    expect(render([fresh("pods")], { state: "connecting" })).toContain("Connecting to live updates…");
  });

  it("says Reconnecting… with the age of the data when the stream is lost, offline or not", () => {
    const offline = render([fresh("pods")], { state: "reconnecting", since: lostAt, offline: true });
    expect(offline).toContain('data-state="reconnecting"');
    expect(offline).toContain("Reconnecting…");
    expect(offline).toContain("This browser is offline.");
    expect(offline).toContain(`data from <time dateTime="${new Date(lostAt).toISOString()}"`);
    expect(offline).toMatch(/, 40 s ago/);
    expect(offline).not.toContain("Live");
    expect(render([fresh("pods")], { state: "reconnecting", since: lostAt, offline: false })).toContain("Live updates stopped arriving.");
  });

  it("names the stale watches and since when, grouped by cause", () => {
    const html = render([stalled("pods", "2026-11-23T10:41:10.000Z"), stalled("deployments", "2026-11-23T10:40:55.000Z"), fresh("jobs")], { state: "live" });
    expect(html).toContain('data-state="stale"');
    expect(html).toContain(
      `Watches for pods, deployments are reconnecting (stale since ${formatClock("2026-11-23T10:40:55.000Z")}): No event or bookmark for 120 s, so the watch was restarted`,
    );
    expect(html).not.toContain("jobs");
    // Known stale watches stay listed while the browser reconnects.
    expect(render([stalled("pods", "2026-11-23T10:41:10.000Z")], { state: "reconnecting", since: lostAt, offline: false })).toContain(
      "Watch for pods is reconnecting",
    );
  });

  it("with several clusters, names the stale one, says the others are live, and prefixes each line with its cluster", () => {
    const html = render(
      [
        { ...stalled("pods", "2026-11-23T10:41:10.000Z"), cluster: "west" },
        { ...stalled("deployments", "2026-11-23T10:40:55.000Z"), cluster: "west" },
        { ...fresh("pods"), cluster: "east" },
      ],
      { state: "live" },
    );
    expect(html).toContain('data-state="stale"');
    expect(html).toContain("Cluster west is stale since");
    expect(html).toContain("Showing the last known state of its tenants; east is live.");
    expect(html).toContain("west: Watches for pods, deployments are reconnecting");
    // One cluster, named or not, reads as it always did.
    expect(render([{ ...stalled("pods", "2026-11-23T10:41:10.000Z"), cluster: "default" }], { state: "live" })).toMatch(
      /Cluster data is stale.*<li>Watch for pods is reconnecting/,
    );
  });
});

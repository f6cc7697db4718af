import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { GateResultView } from "@/lib/migration/gates";
import { GateBadge } from "./gate-badge";

const gate = (overrides: Partial<GateResultView>): GateResultView => ({
  key: "volumes-bound-below-90",
  gateId: "volumes-bound-below-90",
  param: null,
  title: "Every tenant on Kubernetes has its volume Bound and below 90 %",
  state: "pass",
  summary: "All 40 volumes of 40 tenants on Kubernetes are Bound and below 90 %",
  failing: [],
  failingCount: 0,
  evaluatedAt: "2026-12-03T12:00:00.000Z",
  ...overrides,
});

const render = (value?: GateResultView) => renderToStaticMarkup(createElement(GateBadge, { gate: value }));

describe("GateBadge", () => {
  it("says Pass, with the title and summary in its accessible name", () => {
    const html = render(gate({}));
    expect(html).toContain(">Pass</span>");
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Gate Every tenant on Kubernetes has its volume Bound and below 90 %: Pass. All 40 volumes');
    expect(html).toContain('data-state="pass"');
  });

  it("counts the failing tenants", () => {
    expect(render(gate({ state: "fail", failingCount: 3 }))).toContain(">Fail (3 tenants)</span>");
    expect(render(gate({ state: "fail", failingCount: 1 }))).toContain(">Fail (1 tenant)</span>");
    expect(render(gate({ state: "fail", failingCount: 0, summary: "restart-instance has not succeeded" }))).toMatch(/>Fail<\/span>/);
  });

  it("is Unknown without a result or while the gate cannot be judged", () => {
    expect(render(undefined)).toContain('aria-label="Gate: Unknown"');
    expect(render(gate({ state: "unknown", summary: "Waiting for the cluster cache to load" }))).toContain(">Unknown</span>");
  });
});

import { expect, signIn, test } from "./support/fixtures";

// "Needs attention now" groups problems by tenant; an operator acknowledges a known one (who,
// why, until when), everyone sees it, and it stops shouting: muted, after the rest.

/** A demo tenant whose OOM-killed problem no other spec heals (readme-selectors.spec.ts uses it too). */
const TENANT = "harborline-analytics";

test("[ATTENTION] an operator acknowledges a tenant's problems; everyone sees who, why and until when", async ({ page, browser }) => {
  await signIn(page, "operator");
  const panel = page.getByRole("region", { name: "Needs attention now" });
  const group = panel.getByTestId("attention-group").filter({ hasText: TENANT });
  await expect(group).toHaveAttribute("data-acknowledged", "false");
  // Each problem names the runbook that addresses it, or says none does.
  await expect(group.getByTestId("attention-problem").first()).toContainText(/Runbook: |No runbook addresses this yet/);

  const buttons = group.getByRole("button", { name: /^Acknowledge: / });
  const count = await buttons.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    await buttons.first().click();
    const form = group.getByRole("form", { name: /^Acknowledge / });
    // The reason is required: the form does not send without one.
    await form.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect(form).toBeVisible();
    await form.getByLabel("Why it can wait").fill("Customer is importing data; memory spikes expected");
    await form.getByLabel("For").selectOption({ label: "1 day" });
    await form.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect(page.getByText("Problem acknowledged").first()).toBeVisible();
    await expect(form).toHaveCount(0);
  }

  await expect(group).toHaveAttribute("data-acknowledged", "true");
  await expect(group.getByTestId("acknowledgement").first()).toContainText("Acknowledged by operator@fleetdeck.local until");
  await expect(group.getByTestId("acknowledgement").first()).toContainText("Customer is importing data");
  // Muted, and after every tenant that still has an unacknowledged problem.
  const order = await panel.getByTestId("attention-group").evaluateAll((groups) => groups.map((g) => g.getAttribute("data-acknowledged")));
  expect(order.indexOf("true")).toBeGreaterThan(order.lastIndexOf("false"));

  // Another person (a viewer) sees the same acknowledgement, and may not acknowledge or withdraw.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, "viewer");
  const seen = viewer.getByRole("region", { name: "Needs attention now" }).getByTestId("attention-group").filter({ hasText: TENANT });
  await expect(seen.getByTestId("acknowledgement").first()).toContainText("operator@fleetdeck.local");
  await expect(viewer.getByRole("button", { name: /^Acknowledge: / })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Withdraw" })).toHaveCount(0);
  await viewerContext.close();

  // Withdrawn, the problems shout again (and other specs see the fleet as it was).
  for (let i = 0; i < count; i++) {
    await group.getByRole("button", { name: "Withdraw" }).first().click();
    await expect(group.getByTestId("acknowledgement")).toHaveCount(count - i - 1);
  }
  await expect(group).toHaveAttribute("data-acknowledged", "false");
});

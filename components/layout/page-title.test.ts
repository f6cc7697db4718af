import { describe, expect, it } from "vitest";

import { fleetPageTitle, logsPageTitle, pageTitle, tenantPageTitle } from "./page-title";

describe("page titles", () => {
  it("name what is open first and end with the portal", () => {
    expect(pageTitle("Waves", "Migration")).toBe("Waves · Migration · Fleetdeck");
    expect(pageTitle()).toBe("Fleetdeck");
  });

  it("give a tenant's instance name and health in words", () => {
    expect(tenantPageTitle({ name: "odoo-brightpath-logistics-a7bc3459", health: "down" })).toBe("odoo-brightpath-logistics-a7bc3459 · Down · Fleetdeck");
    expect(tenantPageTitle({ name: "odoo-alder-books-7960fe12", health: "on-swarm" })).toBe("odoo-alder-books-7960fe12 · On Swarm · Fleetdeck");
  });

  it("name the logs by the tenant's database", () => {
    expect(logsPageTitle({ databaseName: "brightpath-logistics" })).toBe("Logs · brightpath-logistics · Fleetdeck");
    expect(logsPageTitle(undefined)).toBe("Logs · Fleetdeck");
  });

  it("count the fleet's problems, and say nothing when there are none", () => {
    expect(fleetPageTitle(3)).toBe("(3) Fleet · Fleetdeck");
    expect(fleetPageTitle(1200)).toBe("(1,200) Fleet · Fleetdeck");
    expect(fleetPageTitle(0)).toBe("Fleet · Fleetdeck");
    expect(fleetPageTitle(undefined)).toBe("Fleet · Fleetdeck");
  });
});

import { describe, expect, it } from "vitest";
import { filterLevelOf, passesLevelFilter } from "./log-level";

describe("level filter", () => {
  it("treats CRITICAL as ERROR", () => {
    expect(filterLevelOf("CRITICAL")).toBe("ERROR");
    expect(passesLevelFilter("CRITICAL", ["ERROR"])).toBe(true);
    expect(passesLevelFilter("CRITICAL", ["WARNING"])).toBe(false);
  });

  it("shows every line when nothing or everything is selected", () => {
    expect(passesLevelFilter(undefined, [])).toBe(true);
    expect(passesLevelFilter("DEBUG", [])).toBe(true);
    expect(passesLevelFilter(undefined, ["ERROR", "WARNING", "INFO", "DEBUG"])).toBe(true);
  });

  it("keeps only the chosen levels and hides lines without one", () => {
    expect(passesLevelFilter("WARNING", ["WARNING"])).toBe(true);
    expect(passesLevelFilter("INFO", ["WARNING"])).toBe(false);
    expect(passesLevelFilter(undefined, ["WARNING"])).toBe(false);
    expect(passesLevelFilter("INFO", ["WARNING", "INFO"])).toBe(true);
  });
});

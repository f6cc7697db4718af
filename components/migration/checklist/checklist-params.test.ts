import { describe, expect, it } from "vitest";

import { checklistParamsToSearch } from "./checklist-params";
import { parseChecklistParams } from "./parse-checklist-params";

describe("the Migration page's URL", () => {
  it("keeps valid filters, reports bad ones and round-trips", () => {
    const { params, problems } = parseChecklistParams({ week: "7", workstream: "testing", status: "nope", priority: "must-have", task: "x" });
    expect(params).toEqual({ filter: { week: 7, workstream: "testing", priority: "must-have" }, task: undefined });
    expect(problems).toEqual(['"nope" is not a valid status; it is ignored.', '"x" is not a valid task id; it is ignored.']);
    expect(checklistParamsToSearch(params)).toBe("?week=7&workstream=testing&priority=must-have");
    expect(checklistParamsToSearch(params, { format: "md" })).toBe("?week=7&workstream=testing&priority=must-have&format=md");
    expect(parseChecklistParams({ week: "11" }).problems).toHaveLength(1);
    expect(checklistParamsToSearch(parseChecklistParams({}).params)).toBe("");
  });
});

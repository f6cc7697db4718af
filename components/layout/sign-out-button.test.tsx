import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SignOutButton } from "./sign-out-button";

describe("SignOutButton", () => {
  it("is disabled in the server's HTML, before React can handle a click", () => {
    const html = renderToStaticMarkup(createElement(SignOutButton));
    expect(html).toContain('data-testid="sign-out"');
    expect(html).toMatch(/<button [^>]*\bdisabled=""/);
  });
});

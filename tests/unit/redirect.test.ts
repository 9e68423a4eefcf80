import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/redirect";

describe("callback URLs after sign-in", () => {
  it("keeps relative paths inside the app", () => {
    expect(safeCallbackPath("/settings/members?page=2#x")).toBe("/settings/members?page=2#x");
    expect(safeCallbackPath("/invite/abc")).toBe("/invite/abc");
    expect(safeCallbackPath("http://localhost/settings", "http://localhost")).toBe("/settings");
  });

  it("accepts the app's own public origins besides the request's", () => {
    expect(safeCallbackPath("http://127.0.0.1:3000/settings", "http://localhost:3000", ["http://127.0.0.1:3000"])).toBe("/settings");
    expect(safeCallbackPath("https://evil.example/settings", "http://localhost:3000", ["http://127.0.0.1:3000"])).toBe("/");
  });

  it("sends everything else home: other hosts, protocol-relative and backslash tricks, junk", () => {
    for (const url of [
      "https://evil.example/phish",
      "//evil.example/x",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "http://localhost.evil.example/",
      "",
      null,
      undefined,
    ]) {
      expect(safeCallbackPath(url, "http://localhost")).toBe("/");
    }
  });
});

// proxy.ts in-process, for the decisions it makes per request (tests/e2e/bad-encoding.test.ts
// and tests/e2e/security-headers.test.ts check the same against the built app).
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { proxy } from "@/proxy";

afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

const run = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`http://localhost:3000${path}`, { headers }));

const rewrittenTo = (res: Response) => {
  const target = res.headers.get("x-middleware-rewrite");
  return target ? new URL(target).pathname : null;
};

describe("badly percent-encoded paths", () => {
  it("answer the API's 400 envelope with a request id", async () => {
    for (const path of ["/v1/organization/members/%ff%fe", "/v1/%E0%A4%A", "/v1/organization/invitations/abc%"]) {
      const res = run(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("x-request-id"), path).toBeTruthy();
      expect(await res.json(), path).toEqual({
        success: false,
        error: "The request path is not valid percent-encoded UTF-8",
        code: "bad_request",
        deprecated: false,
      });
    }
    expect(run("/v1/%ff", { "x-request-id": "caller-id-123" }).headers.get("x-request-id")).toBe("caller-id-123");
  });

  it("reach pages and /api routes with the raw text as their param", () => {
    expect(rewrittenTo(run("/invite/%ff"))).toBe("/invite/%25ff");
    expect(rewrittenTo(run("/invite/ok/%E0%A4%A"))).toBe("/invite/ok/%25E0%25A4%25A");
    expect(rewrittenTo(run("/api/auth/%ff"))).toBe("/api/auth/%25ff");
  });

  it("leave well-formed paths alone", () => {
    for (const path of ["/invite/abc%2Fdef", "/v1/organization/members/%41%C3%A9", "/settings"]) {
      const res = run(path);
      expect(res.status, path).toBe(200);
      expect(rewrittenTo(res), path).toBeNull();
    }
  });
});

describe("per-request headers", () => {
  const cspOf = (res: Response) => res.headers.get("content-security-policy") ?? "";
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

  it("give each page request its own nonce, also to Next.js through the request headers", () => {
    const a = run("/sign-in");
    const b = run("/sign-in");
    expect(cspOf(run("/dev/emails"))).toContain("'nonce-");
    expect(nonceOf(cspOf(a))).toBeTruthy();
    expect(nonceOf(cspOf(a))).not.toBe(nonceOf(cspOf(b)));
    // NextResponse.next({ request: { headers } }) hands overridden request headers on like this.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(cspOf(a));
    expect(cspOf(a)).not.toContain("'unsafe-eval'");
  });

  it("set no page CSP on the JSON API, /api routes and the dev email preview (which sends its own)", () => {
    for (const path of ["/v1/organization", "/api/health", "/api/auth/session", "/dev/emails/invitation"]) {
      expect(run(path).headers.get("content-security-policy"), path).toBeNull();
    }
  });

  it("allow eval in development only (React's dev tooling)", () => {
    vi.stubEnv("NODE_ENV", "development");
    reloadEnv();
    expect(cspOf(run("/sign-in"))).toMatch(/script-src [^;]*'unsafe-eval'/);
  });

  it("send HSTS and upgrade-insecure-requests only when APP_URL is https", () => {
    expect(run("/sign-in").headers.get("strict-transport-security")).toBeNull();
    expect(cspOf(run("/sign-in"))).not.toContain("upgrade-insecure-requests");
    vi.stubEnv("APP_URL", "https://confident.example.com");
    reloadEnv();
    for (const path of ["/sign-in", "/v1/organization", "/api/health", "/v1/%ff"]) {
      expect(run(path).headers.get("strict-transport-security"), path).toBe("max-age=63072000; includeSubDomains");
    }
    expect(cspOf(run("/sign-in"))).toContain("upgrade-insecure-requests");
  });
});

// Security headers on the built app (`next start` on PostgreSQL): a per-request nonce CSP with
// 'strict-dynamic' on pages, nosniff / frame / referrer / permissions headers everywhere (pages,
// the /v1 JSON API, /api), HSTS only when APP_URL is https — and the pages still work in
// Chromium under that policy: no violations, and hydration runs (client-side submits).
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, watchCspViolations } from "../helpers/browser";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `confident_headers_${process.pid}`;
const ADMIN = { email: "admin@headers.test", password: "admin-password-123" };
const API_KEY = `confident_org_${"ab12".repeat(10)}`;

let server: RunningServer;
let browser: Browser | undefined;
let databaseUrl: string;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

const serverEnv = () => ({
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "headers-test-secret-at-least-32-characters",
  INIT_ORG_NAME: "Headers Org",
  INIT_ORG_PLAN: "TEAM",
  INIT_USER_EMAIL: ADMIN.email,
  INIT_USER_PASSWORD: ADMIN.password,
  INIT_ORG_API_KEY: API_KEY,
});

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${DB}`;
  databaseUrl = url.toString();
  server = await startServer("start", serverEnv());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
});

/** The CSP as a directive → sources map. */
function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

const nonceOf = (csp: string | null) => /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp ?? "")?.[1];

function expectBaseHeaders(res: Response, label: string) {
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), label).toBe("DENY");
  expect(res.headers.get("referrer-policy"), label).toBe("strict-origin-when-cross-origin");
  const permissions = res.headers.get("permissions-policy") ?? "";
  for (const feature of ["camera", "microphone", "geolocation", "payment"]) expect(permissions, label).toContain(`${feature}=()`);
}

describe("response headers", () => {
  it("pages carry a nonce CSP with strict-dynamic and the base headers; no HSTS over http", async () => {
    for (const path of ["/sign-in", "/invite/not-a-real-token", "/no-such-page"]) {
      const res = await fetch(server.url + path);
      expectBaseHeaders(res, path);
      expect(res.headers.get("strict-transport-security"), path).toBeNull();
      const csp = directives(res.headers.get("content-security-policy"));
      const scripts = csp.get("script-src") ?? [];
      expect(scripts, path).toContain("'strict-dynamic'");
      expect(scripts.some((s) => s.startsWith("'nonce-")), path).toBe(true);
      expect(scripts, path).not.toContain("'unsafe-inline'");
      expect(scripts, path).not.toContain("'unsafe-eval'");
      expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
      expect(csp.get("base-uri"), path).toEqual(["'self'"]);
      expect(csp.get("form-action"), path).toEqual(["'self'"]);
      expect(csp.get("object-src"), path).toEqual(["'none'"]);
      expect(csp.has("upgrade-insecure-requests"), path).toBe(false);
    }
  });

  it("the /v1 API and /api routes carry the base headers but no nonce", async () => {
    const responses = {
      "/v1/organization": await fetch(`${server.url}/v1/organization`, { headers: { confident_api_key: API_KEY } }),
      "/v1/organization (401)": await fetch(`${server.url}/v1/organization`),
      "/v1/nope (404)": await fetch(`${server.url}/v1/nope`),
      "/api/health": await fetch(`${server.url}/api/health`),
      "/v1/openapi.json": await fetch(`${server.url}/v1/openapi.json`),
    };
    expect(responses["/v1/organization"].status).toBe(200);
    expect(responses["/api/health"].status).toBe(200);
    for (const [label, res] of Object.entries(responses)) {
      expectBaseHeaders(res, label);
      expect(nonceOf(res.headers.get("content-security-policy")), label).toBeUndefined();
      expect(res.headers.get("strict-transport-security"), label).toBeNull();
    }
  });

  it("draws a fresh nonce per request and puts it on every script tag Next.js renders", async () => {
    const nonces: string[] = [];
    // Also the not-found page, which Next.js would otherwise prerender at build time (no nonce).
    for (const path of ["/sign-in", "/sign-in", "/no-such-page", "/invite/%ff"]) {
      const res = await fetch(server.url + path);
      const nonce = nonceOf(res.headers.get("content-security-policy"));
      expect(nonce).toBeTruthy();
      nonces.push(nonce!);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(new Set(nonces).size).toBe(4);
    // 128 bits at least: not guessable.
    expect(Buffer.from(nonces[0]!, "base64").length).toBeGreaterThanOrEqual(16);
  });

  it("adds HSTS (and upgrade-insecure-requests) only when APP_URL is https, and Auth.js cookies are Secure then", async () => {
    const port = await freePort();
    const https = await startServer("start", { ...serverEnv(), APP_URL: "https://confident.example.test" }, { port });
    try {
      for (const path of ["/sign-in", "/v1/organization", "/api/health"]) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(res.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
        expectBaseHeaders(res, path);
      }
      const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
      expect(directives(page.headers.get("content-security-policy")).has("upgrade-insecure-requests")).toBe(true);
      const csrf = await fetch(`http://127.0.0.1:${port}/api/auth/csrf`);
      const cookies = csrf.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    } finally {
      await https.stop();
    }
  });
});

describe("pages under the CSP in Chromium", () => {
  /** Marks the current document; a full page load (no hydration, plain form post) loses the mark. */
  const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 1));
  const marked = (page: Page) => page.evaluate(() => (window as unknown as { __mark?: number }).__mark === 1);

  it("sign-in, an invalid invitation and a settings page load without violations and hydrate", async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const violations = await watchCspViolations(page);
    // A feature Chromium does not know makes it warn on every page: keep the header clean.
    const headerWarnings: string[] = [];
    page.on("console", (m) => void (/Permissions-Policy/i.test(m.text()) && headerWarnings.push(m.text())));

    // Sign-in: a wrong password is answered in place, by the hydrated form (no page load).
    await page.goto("/sign-in");
    await mark(page);
    const form = page.getByRole("form", { name: "Sign in with a password" });
    await form.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await form.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/Wrong email or password/);
    expect(violations()).toEqual([]);
    expect(await marked(page)).toBe(true);

    await page.goto("/invite/not-a-real-token");
    await expect.poll(() => page.getByRole("heading", { name: "This invitation is no longer valid" }).isVisible()).toBe(true);
    expect(violations()).toEqual([]);

    // The not-found page hydrates too: Next.js's route announcer only exists once its client
    // code has run.
    await page.goto("/no-such-page");
    await expect.poll(() => page.locator("next-route-announcer").count()).toBe(1);
    expect(violations()).toEqual([]);

    // Signed in: settings, a client-side navigation and a client-side form submit.
    await page.goto("/sign-in");
    await form.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await form.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/settings/);
    await mark(page);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Invitations" }).click();
    await page.waitForURL(/\/settings\/invitations/);
    await page.getByLabel(/Emails/).fill("not-an-email");
    await page.getByRole("button", { name: /Send invitations|Invite/ }).first().click();
    const results = page.getByRole("table", { name: /results/i });
    await expect.poll(async () => (await results.textContent()) ?? "").toMatch(/not-an-email[\s\S]*Invalid/i);
    expect(violations()).toEqual([]);
    expect(await marked(page)).toBe(true);
    expect(headerWarnings).toEqual([]);
    await context.close();
  });
});

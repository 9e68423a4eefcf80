// The API reference page (/docs) on the built app (`next start` on PostgreSQL): Swagger UI draws
// /v1/openapi.json under the page CSP with no violations, no console errors and nothing fetched
// from another origin; it lists the operations, fits a 390 px screen (an open operation too),
// works from the keyboard, and "Try it out" calls this server with the key given to Authorize.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, SCREENSHOT_DIR, watchCspViolations, type CspViolation } from "../helpers/browser";
import { startServer, type RunningServer } from "../helpers/server";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `confident_docs_${process.pid}`;
const API_KEY = `confident_org_${"d0c5".repeat(10)}`;

let server: RunningServer;
let browser: Browser;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${DB}`;
  server = await startServer("start", {
    NODE_ENV: "production",
    DATABASE_URL: url.toString(),
    AUTH_SECRET: "docs-test-secret-at-least-32-characters-long",
    EMAIL_WORKER: "off",
    INIT_ORG_NAME: "Docs Org",
    INIT_USER_EMAIL: "owner@docs.test",
    INIT_ORG_API_KEY: API_KEY,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
});

interface Watched {
  context: BrowserContext;
  page: Page;
  violations: () => CspViolation[];
  /** Console errors and uncaught exceptions, plus every request that left this origin. */
  problems: string[];
}

/** The first screen only: the whole reference is several screens tall. */
async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function openDocs(viewport: { width: number; height: number }): Promise<Watched> {
  const context = await browser.newContext({ baseURL: server.url, viewport });
  const page = await context.newPage();
  const violations = await watchCspViolations(page);
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    const { protocol, origin } = new URL(r.url());
    if (/^https?:$/.test(protocol) && origin !== server.url) problems.push(`external: ${r.url()}`);
  });
  await page.goto("/docs");
  await page.getByText("/v1/organization/invitations").first().waitFor({ timeout: 30_000 });
  return { context, page, violations, problems };
}

describe("/docs", () => {
  it("renders the operations on a desktop, with no CSP violations, console errors or outside requests", async () => {
    const { context, page, violations, problems } = await openDocs({ width: 1280, height: 900 });
    expect(await page.getByRole("heading", { name: "API reference", level: 1 }).isVisible()).toBe(true);
    const documentLink = page.locator(".docs-header").getByRole("link", { name: "/v1/openapi.json", exact: true });
    expect(await documentLink.getAttribute("href")).toBe("/v1/openapi.json");
    const text = await page.locator("body").innerText();
    for (const path of ["/v1/organization", "/v1/organization/invitations", "/v1/organization/members"]) expect(text).toContain(path);
    expect(text).toContain("CONFIDENT_API_KEY");
    expect(text).toContain("Authorization: Bearer");
    await screenshot(page, "docs-desktop");
    expect(violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("fits a 390 px screen, with an operation open", async () => {
    const { context, page, violations, problems } = await openDocs({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.locator(".opblock-post").filter({ hasText: "/v1/organization/invitations" }).first().locator(".opblock-summary-control").click();
    await page.locator(".opblock.is-open .opblock-body").first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, "docs-390");
    expect(violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("works from the keyboard, and Try it out calls this server with the key given to Authorize", async () => {
    const { context, page, violations, problems } = await openDocs({ width: 1280, height: 900 });
    // Tab from the top of the page reaches the first operation; Enter opens it.
    let onOperation = false;
    for (let i = 0; i < 20 && !onOperation; i++) {
      await page.keyboard.press("Tab");
      onOperation = await page.evaluate(() => !!document.activeElement?.classList.contains("opblock-summary-control"));
    }
    expect(onOperation).toBe(true);
    await page.keyboard.press("Enter");
    const open = page.locator(".opblock.is-open");
    await open.locator(".opblock-body").waitFor();
    expect(await open.locator(".opblock-summary-path").innerText()).toBe("/v1/organization");

    await page.locator(".auth-wrapper").getByRole("button", { name: "Authorize" }).click();
    await page.locator("#api_key_value").fill(API_KEY);
    await page.getByRole("button", { name: "Apply credentials" }).first().click();
    await page.getByRole("button", { name: "Close" }).first().click();
    await open.getByRole("button", { name: "Try it out" }).click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/v1/organization"),
      open.getByRole("button", { name: "Execute" }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(await response.request().headerValue("confident_api_key")).toBe(API_KEY);
    await expect.poll(async () => (await open.locator(".responses-wrapper").innerText()).replace(/\s+/g, " ")).toMatch(/"name": "Docs Org"/);
    expect(violations()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

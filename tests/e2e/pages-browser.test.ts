// Every page of the app in Chromium (Debian's, via playwright-core) against `next build && next
// start` on PostgreSQL, at 390×844 and 1280×800, in the light and the dark colour scheme: none is
// wider than its viewport (nor at 768 px), axe-core finds no serious or critical violation,
// controls on a phone are at least 44 px tall, and nothing logs an error (a missing favicon
// included). The invitation journeys' landing pages (joined, declined, already a member) are
// reached by doing them. The keyboard: the skip link is the first Tab stop and moves focus to the
// content; the settings menu opens with Enter on a phone.
// Screenshots: test-results/screenshots/pages/<name>-<width>[-dark].png.
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { screenshot, screenshotsTaken } from "../helpers/browser";
import { INVITE_LINK, mailedLink, overflowingElements, startBrowserApp, type BrowserApp } from "../helpers/browser-app";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const API_KEY = `confident_org_${"5ca1ab1e".repeat(5)}`;
const PASSWORD = "pages-password-123";
const ADMIN = "admin@pages.test";
/** Invited, verified account: sees the invitation signed in, then accepts it. */
const IVY = "ivy@pages.test";
/** Invited, verified account with no organization: declines. */
const DAN = "dan@pages.test";
/** An account that has not verified its address yet. */
const UMA = "uma@pages.test";
/** A long address without break opportunities, in the member and invitation tables. */
const LONG = "a.very-long-address-that-must-wrap-somewhere@subdomain.of-an-example-organization.test";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const DESKTOP = { width: 1280, height: 800 };
const VARIANTS = [
  { size: PHONE, dark: false },
  { size: DESKTOP, dark: false },
  { size: DESKTOP, dark: true },
  { size: PHONE, dark: true },
] as const;

let app: BrowserApp;
let ids: { project: string; ivyToken: string; danToken: string; revokedToken: string; expiredToken: string; patToken: string };
/** Everything wrong, across every page: reported together at the end of the walk. */
const problems: string[] = [];

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${app.base}${path}`, {
    method,
    headers: { CONFIDENT_API_KEY: API_KEY, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json()) as { data: Record<string, any> };
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json.data;
}

async function addUser(id: string, email: string, name: string, verified: boolean) {
  await app.db.query(
    `INSERT INTO "User" (id, email, name, "emailVerified", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`,
    [id, email, name, verified ? new Date() : null, await hashPassword(PASSWORD)],
  );
}

/** Seeds through the API what the pages show: invitations in every state, keys, roles, a project, governance. */
async function seed() {
  // The organization is provisioned at boot (INIT_*): its key answers once that is done.
  for (let tries = 0; (await fetch(`${app.base}/v1/organization`, { headers: { CONFIDENT_API_KEY: API_KEY } })).status !== 200; tries++) {
    if (tries > 150) throw new Error(`the organization was not provisioned:\n${app.serverOutput()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await addUser("pages-ivy", IVY, "Ivy", true);
  await addUser("pages-dan", DAN, "Dan", true);
  await addUser("pages-uma", UMA, "Uma", false);
  await addUser("pages-long", LONG, "Longfellow Wrapping-Test", true);
  const { rows: org } = await app.db.query(`SELECT id FROM "Organization"`);
  await app.db.query(`INSERT INTO "Membership" ("organizationId", "userId", "roleId") VALUES ($1, 'pages-long', $2)`, [
    org[0].id,
    SYSTEM_ROLES.Member,
  ]);

  const permissions = (await api("GET", "/v1/organization/permissions")).permissions as { id: string; name: string }[];
  const pick = (...names: string[]) => permissions.filter((p) => names.includes(p.name)).map((p) => p.id);
  const policy = (await api("POST", "/v1/organization/policies", { name: "Project readers", permissionIds: pick("project:read", "user:read"), description: "Read projects and members" })).policy;
  await api("POST", "/v1/organization/roles", { name: "Auditor", policyIds: [policy.id], description: "Reads everything, changes nothing" });
  await api("POST", "/v1/organization/api-keys", { name: "CI pipeline" });
  const revoked = (await api("POST", "/v1/organization/api-keys", { name: "Old deploy key" })).apiKey;
  await api("PUT", `/v1/organization/api-keys/${revoked.id}`, { valid: false });

  const invited = (await api("POST", "/v1/organization/invitations", { emails: [IVY, DAN, "gone@pages.test", "late@pages.test", "pending-with-a-long-name@pages.test"] }))
    .invitations as { id: number; email: string }[];
  const { project } = await api("POST", "/v1/projects", { name: "Support bot", description: "Answers customer tickets by email, in every language we support" });
  await api("POST", `/v1/projects/${project.id}/api-keys`, { name: "Staging" });
  await api("POST", `/v1/projects/${project.id}/invitations`, { emails: ["pat@pages.test"] });
  const projectPermissions = (await api("GET", `/v1/projects/${project.id}/permissions`)).permissions as { id: string; name: string }[];
  const datasets = (await api("POST", `/v1/projects/${project.id}/policies`, { name: "Dataset readers", permissionIds: projectPermissions.slice(0, 2).map((p) => p.id) })).policy;
  await api("POST", `/v1/projects/${project.id}/roles`, { name: "Reviewer", policyIds: [datasets.id] });
  const governance = (
    await api("POST", "/v1/organization/governance-policies", {
      name: "Production",
      description: "What every production project must have",
      controls: [
        { name: "Toxicity guardrail", type: "RUNTIME" },
        { name: "Jailbreak red teaming", type: "PRE_DEPLOYMENT_RED_TEAMING" },
      ],
    })
  ).governancePolicy;
  await api("POST", `/v1/organization/governance-policies/${governance.id}/assign`, { projectIds: [project.id] });

  const token = (email: string) => mailedLink(app.fake, email, INVITE_LINK).then((link) => new URL(link).pathname.split("/").at(-1)!);
  ids = {
    project: project.id,
    ivyToken: await token(IVY),
    danToken: await token(DAN),
    revokedToken: await token("gone@pages.test"),
    expiredToken: await token("late@pages.test"),
    patToken: await token("pat@pages.test"),
  };
  await api("DELETE", `/v1/organization/invitations/${invited.find((i) => i.email === "gone@pages.test")!.id}`);
  await app.db.query(`UPDATE "Invitation" SET "expiresAt" = now() - interval '1 day' WHERE email = 'late@pages.test'`);
}

beforeAll(async () => {
  app = await startBrowserApp(`confident_pages_browser_${process.pid}`, {
    INIT_ORG_NAME: "Acme",
    INIT_ORG_PLAN: "TEAM",
    INIT_USER_EMAIL: ADMIN,
    INIT_USER_PASSWORD: PASSWORD,
    INIT_ORG_API_KEY: API_KEY,
  });
  await seed();
});

beforeEach(() => {
  problems.length = 0;
});

afterAll(async () => {
  await app?.stop();
  console.log(`Screenshots:\n${screenshotsTaken().map((f) => `  ${f}`).join("\n")}`);
});

/** A browser session, signed in with the password when `email` is given; errors on its pages are problems. */
async function session(email?: string) {
  const { context, page } = await app.newSession({ viewport: PHONE });
  page.on("console", (message) => {
    // A 404 page logs its own document's status; anything else failing to load is a problem.
    if (message.type() === "error" && !(message.text().includes("404") && message.location().url === page.url())) {
      problems.push(`${new URL(page.url()).pathname}: console error ${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => problems.push(`${new URL(page.url()).pathname}: ${error.message}`));
  if (email) {
    await page.goto("/sign-in");
    const form = page.getByRole("form", { name: "Sign in with a password" });
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname !== "/sign-in");
  }
  return { context, page };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page CSP (nonce-only scripts) does not apply.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run()) as AxeResult;
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 10)
          .map((n) => `      ${n.target.join(" ")}\n        ${(n.failureSummary ?? "").replace(/\n/g, "\n        ")}`)
          .join("\n")}`,
    );
}

/** Controls a finger must hit, on a phone: buttons, fields, menu links, disclosure toggles. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      "button",
      ".button",
      "select",
      "textarea",
      'input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])',
      "nav a",
      "summary",
    ].join(", ");
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => !el.closest(".swagger-ui, .sr-only, dialog:not([open])"))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0 && box.height < 43.5)
      .slice(0, 8)
      .map(({ el, box }) => `${el.tagName.toLowerCase()} “${(el.textContent || el.getAttribute("name") || "").trim().slice(0, 30)}” ${Math.round(box.height)} px`);
  });
}

/** One page in all four variants: fits, passes axe, big enough targets on a phone; screenshots of each. A tablet: fits. */
async function check(page: Page, name: string) {
  await page.setViewportSize(TABLET);
  if (!(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth))) {
    problems.push(`${name} at 768 px: wider than the screen: ${(await overflowingElements(page)).join(", ")}`);
  }
  for (const { size, dark } of VARIANTS) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: dark ? "dark" : "light" });
    const where = `${name} at ${size.width} px${dark ? ", dark" : ""}`;
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    if (!fits) problems.push(`${where}: wider than the screen: ${(await overflowingElements(page)).join(", ")}`);
    for (const violation of await seriousAxeViolations(page)) problems.push(`${where}: ${violation}`);
    if (size === PHONE && !dark) for (const target of await smallTargets(page)) problems.push(`${where}: target under 44 px: ${target}`);
    await screenshot(page, `pages/${name}-${size.width}${dark ? "-dark" : ""}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(PHONE);
}

/** Opens `path` and waits for its heading, then checks it. */
async function visit(page: Page, path: string, name: string, heading?: RegExp) {
  const response = await page.goto(path);
  if (!response || (response.status() >= 400 && name !== "not-found")) problems.push(`${name}: ${path} answered ${response?.status()}`);
  const h1 = heading ? page.getByRole("heading", { level: 1, name: heading }) : page.getByRole("heading", { level: 1 }).first();
  await h1.waitFor({ timeout: 15_000 });
  await check(page, name);
}

function report() {
  expect(problems, `\n${problems.join("\n\n")}\n`).toEqual([]);
}

describe("every page, on a phone and a desktop, light and dark", () => {
  it("signed out: home, sign-in and sign-up, link landings, invitations, docs, 404", async () => {
    onTestFailed(() => console.log(`Server log (end):\n${app.serverOutput().slice(-3000)}`));
    const { context, page } = await session();
    await visit(page, "/", "home", /self-hosted/);
    await visit(page, "/sign-in", "sign-in", /Sign in/);
    await visit(page, `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${ids.ivyToken}`)}&email=${encodeURIComponent(IVY)}`, "sign-in-for-invitation");
    await visit(page, "/sign-up", "sign-up");
    await visit(page, `/sign-up/check-email?email=${encodeURIComponent(LONG)}`, "sign-up-check-email", /Check your inbox/);
    await visit(page, `/sign-in/check-email?email=${encodeURIComponent(IVY)}`, "sign-in-check-email");
    await visit(page, "/sign-in/confirm", "sign-in-confirm-incomplete", /incomplete/);
    await visit(page, `/sign-in/confirm?token=expired&email=${encodeURIComponent(IVY)}`, "sign-in-confirm-expired", /expired/);
    await visit(page, "/verify-email?token=expired", "verify-email-expired", /expired/);
    await visit(page, `/invite/${ids.ivyToken}`, "invite-signed-out", /Join Acme/);
    await visit(page, `/invite/${ids.patToken}`, "invite-project-signed-out", /Join Support bot/);
    await visit(page, `/invite/${ids.revokedToken}`, "invite-revoked", /no longer valid/);
    await visit(page, `/invite/${ids.expiredToken}`, "invite-expired", /no longer valid/);
    await page.goto("/docs");
    await page.getByText("/v1/organization/invitations").first().waitFor({ timeout: 30_000 });
    await check(page, "docs");
    await visit(page, "/no-such-page", "not-found", /could not be found/i);

    // The favicon answers (Chromium asks for /favicon.ico unless the page names an icon).
    expect((await page.request.get("/favicon.ico")).status()).toBe(200);
    expect(await page.locator('head link[rel="icon"]').count()).toBeGreaterThan(0);
    await context.close();
    report();
  });

  it("the admin: every settings page, every project tab, governance, the account, dialogs", async () => {
    onTestFailed(() => console.log(`Server log (end):\n${app.serverOutput().slice(-3000)}`));
    const { context, page } = await session(ADMIN);
    const project = `/settings/projects/${ids.project}`;
    for (const [path, name] of [
      ["/settings", "settings-general"],
      ["/settings/members", "settings-members"],
      ["/settings/invitations", "settings-invitations"],
      ["/settings/api-keys", "settings-api-keys"],
      ["/settings/roles", "settings-roles"],
      ["/settings/audit-log", "settings-audit-log"],
      ["/settings/projects", "settings-projects"],
      [project, "project-settings"],
      [`${project}/members`, "project-members"],
      [`${project}/invitations`, "project-invitations"],
      [`${project}/api-keys`, "project-api-keys"],
      [`${project}/roles`, "project-roles"],
      ["/settings/governance", "settings-governance"],
      ["/account", "account"],
      ["/invitations", "invitations-none"],
      ["/organizations/new", "organizations-new"],
      [`/invite/${ids.ivyToken}`, "invite-wrong-account"],
    ] as const) {
      await visit(page, path, name);
    }

    // A confirmation dialog fits a phone, and scrolls rather than growing past it.
    await page.goto("/settings/invitations");
    await page.getByRole("row", { name: /dan@pages\.test/ }).getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    await check(page, "dialog-revoke");
    await page.keyboard.press("Escape");
    await context.close();
    report();
  });

  it("invitees: signed in, accepting (joined), reopening (already a member), declining, unverified", async () => {
    onTestFailed(() => console.log(`Server log (end):\n${app.serverOutput().slice(-3000)}`));
    const ivy = await session(IVY);
    await visit(ivy.page, `/invite/${ids.ivyToken}`, "invite-signed-in", /Join Acme/);
    await visit(ivy.page, "/invitations", "invitations-pending", /Your invitations/);
    await ivy.page.goto(`/invite/${ids.ivyToken}`);
    await ivy.page.getByRole("button", { name: "Accept invitation" }).click();
    await ivy.page.waitForURL(/\/settings\?joined=1$/);
    await expect.poll(() => ivy.page.getByTestId("joined").textContent()).toMatch(/You joined Acme as Member/);
    await check(ivy.page, "settings-joined");
    await visit(ivy.page, `/invite/${ids.ivyToken}`, "invite-already-member", /already a member of Acme/);

    const dan = await session(DAN);
    await dan.page.goto(`/invite/${ids.danToken}`);
    await dan.page.getByRole("button", { name: "Decline" }).click();
    await dan.page.waitForURL(/\/invitations\/declined\/\d+$/);
    await expect.poll(() => dan.page.getByRole("heading", { level: 1 }).textContent()).toBe("You declined the invitation to Acme");
    await check(dan.page, "invitation-declined");
    await visit(dan.page, "/invitations", "invitations-empty-no-org", /Your invitations/);
    await visit(dan.page, "/organizations/new", "organizations-new-first", /Create your organization/);

    const uma = await session(UMA);
    await visit(uma.page, "/verify-email", "verify-email-check-inbox", /Check your inbox/);
    await Promise.all([ivy, dan, uma].map((s) => s.context.close()));
    expect(app.cspViolations()).toEqual([]);
    report();
  });

  it("the keyboard: the skip link comes first and moves focus to the content; the phone menu opens with Enter", async () => {
    const { context, page } = await session(ADMIN);
    for (const path of ["/settings/members", "/account", "/no-such-page"]) {
      await page.goto(path);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent), path).toBe("Skip to content");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.tagName), path).toBe("MAIN");
    }

    // On a phone the menu is closed: the page's title is on the first screen.
    await page.goto("/settings/members");
    const title = (await page.getByRole("heading", { level: 1 }).boundingBox())!;
    expect(title.y + title.height).toBeLessThanOrEqual(PHONE.height);
    const nav = page.getByRole("navigation", { name: "Settings" });
    expect(await nav.isVisible()).toBe(false);
    const toggle = page.getByRole("button", { name: "Menu" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    // Tab order: skip link, wordmark, menu button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Menu");
    await page.keyboard.press("Enter");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => nav.isVisible()).toBe(true);
    await screenshot(page, "pages/settings-menu-open-390");
    // Following a link closes it again on the new page.
    await nav.getByRole("link", { name: "API keys" }).click();
    await page.waitForURL(/\/settings\/api-keys$/);
    await expect.poll(() => nav.isVisible()).toBe(false);

    // On a desktop there is no toggle: the sidebar is always there.
    await page.setViewportSize(DESKTOP);
    expect(await toggle.isVisible()).toBe(false);
    expect(await nav.isVisible()).toBe(true);

    // Without JavaScript the button could not open it: the menu is simply shown.
    const noScript = await app.newSession({ viewport: PHONE, javaScriptEnabled: false, storageState: await context.storageState() });
    await noScript.page.goto("/settings/members");
    expect(await noScript.page.getByRole("navigation", { name: "Settings" }).isVisible()).toBe(true);
    expect(await noScript.page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
    await Promise.all([context.close(), noScript.context.close()]);
  });
});

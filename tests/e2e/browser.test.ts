// The web app in a real browser (Debian's Chromium via playwright-core) against
// `next build && next start` on PostgreSQL, with email going to a loopback fake Resend:
// an admin invites people, invitees accept or decline through the emailed links, and the
// settings pages do what they say. Screenshots of each page and invite state land in
// test-results/screenshots/.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, screenshotsTaken } from "../helpers/browser";
import { startFakeResend, type FakeResend } from "../helpers/fake-resend";
import { ROOT } from "../helpers/run-script";
import { freePort, startServer, type RunningServer } from "../helpers/server";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `confident_browser_${process.pid}`;
const ADMIN = { email: "admin@browser.test", password: "admin-password-123" };
const PASSWORD = "invitee-password-123";

let fake: FakeResend;
let server: RunningServer;
let browser: Browser;
let db: pg.Client;
let base: string;

beforeAll(async () => {
  fake = await startFakeResend();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DB}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DB}`;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer(
    "start",
    {
      NODE_ENV: "production",
      DATABASE_URL: url.toString(),
      AUTH_SECRET: "browser-test-secret-at-least-32-characters",
      APP_URL: base,
      AUTH_URL: base,
      RESEND_API_KEY: "re_browser_test",
      RESEND_BASE_URL: fake.baseUrl,
      EMAIL_FROM: "Confident <invites@browser.test>",
      INVITATION_RESEND_COOLDOWN_SECONDS: "0",
      INIT_ORG_NAME: "Browser Org",
      INIT_ORG_PLAN: "TEAM",
      INIT_USER_EMAIL: ADMIN.email,
      INIT_USER_PASSWORD: ADMIN.password,
    },
    { port },
  );
  db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await server?.stop();
  await fake?.close();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin.end();
  console.log(`Screenshots:\n${screenshotsTaken().map((f) => `  ${f}`).join("\n")}`);
});

/** A server action's id, from the manifest of the build under test. */
function actionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, process.env.NEXT_DIST_DIR || ".next", "server/server-reference-manifest.json"), "utf8"));
  const entry = Object.entries(manifest.node as Record<string, { filename: string; exportedName: string }>).find(
    ([, v]) => v.filename === filename && v.exportedName === exportedName,
  );
  if (!entry) throw new Error(`no server action ${exportedName} in ${filename}`);
  return entry[0];
}

async function newSession(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 860 } });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in with a password" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/settings/);
}

/** The newest invite link mailed to `email` (waits for the worker to deliver it). */
async function inviteLinkFor(email: string, after = 0): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = fake.delivered.filter((m) => m.to.includes(email));
    if (messages.length > after) {
      const text = messages.at(-1)!.text;
      return /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43})/.exec(text)![1]!;
    }
    if (Date.now() > deadline) throw new Error(`no invitation email for ${email}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function invite(page: Page, emails: string) {
  await page.goto("/settings/invitations");
  await page.getByLabel(/Emails/).fill(emails);
  await page.getByRole("button", { name: /Send invitations|Invite/ }).first().click();
}

describe("the web app in Chromium", () => {
  it("runs the whole invitation flow and the settings pages", async () => {
    const adminSession = await newSession();
    const adminPage = adminSession.page;
    await signIn(adminPage, ADMIN.email, ADMIN.password);
    await screenshot(adminPage, "settings-general");

    // Invite three addresses, one invalid: the page reports each.
    await invite(adminPage, "alice@browser.test, bob@browser.test\nnot-an-email");
    const results = adminPage.getByRole("table", { name: /results/i });
    await expect.poll(async () => (await results.textContent()) ?? "").toMatch(/alice@browser\.test[\s\S]*Invited/i);
    const text = (await results.textContent()) ?? "";
    expect(text).toMatch(/bob@browser\.test/);
    expect(text).toMatch(/not-an-email[\s\S]*Invalid/i);
    await screenshot(adminPage, "settings-invitations-results");

    // Alice: the mailed link → create an account → accept → member with the invited role.
    const aliceLink = await inviteLinkFor("alice@browser.test");
    const alice = await newSession();
    await alice.page.goto(aliceLink);
    await expect.poll(() => alice.page.getByRole("heading", { name: "Join Browser Org" }).isVisible()).toBe(true);
    await screenshot(alice.page, "invite-signed-out");
    await alice.page.getByRole("link", { name: "Create an account" }).click();
    await expect.poll(() => alice.page.getByLabel("Email", { exact: true }).inputValue()).toBe("alice@browser.test");
    await alice.page.getByLabel("Name", { exact: true }).fill("Alice");
    await alice.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await alice.page.getByRole("button", { name: "Create account" }).click();
    await alice.page.waitForURL(/\/invite\//);
    await screenshot(alice.page, "invite-signed-in");
    await alice.page.getByRole("button", { name: "Accept invitation" }).click();
    await alice.page.waitForURL(/\/settings/);
    await adminPage.goto("/settings/members");
    await expect.poll(async () => (await adminPage.getByRole("row", { name: /alice@browser\.test/ }).textContent()) ?? "").toMatch(/Member/);
    await screenshot(adminPage, "settings-members");

    // Bob declines: listed as DECLINED for the admin.
    const bobLink = await inviteLinkFor("bob@browser.test");
    const bob = await newSession();
    await bob.page.goto(bobLink);
    await bob.page.getByRole("link", { name: "Create an account" }).click();
    await bob.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await bob.page.getByRole("button", { name: "Create account" }).click();
    await bob.page.waitForURL(/\/invite\//);
    await bob.page.getByRole("button", { name: "Decline" }).click();
    await bob.page.waitForURL(/\/invitations/);
    await adminPage.goto("/settings/invitations");
    await expect.poll(async () => (await adminPage.getByRole("row", { name: /bob@browser\.test/ }).textContent()) ?? "").toMatch(/Declined/i);
    await screenshot(adminPage, "settings-invitations-list");

    // Resend: the old link becomes invalid, the new one works.
    await invite(adminPage, "carol@browser.test");
    const firstCarol = await inviteLinkFor("carol@browser.test");
    await adminPage.goto("/settings/invitations");
    await adminPage.getByRole("row", { name: /carol@browser\.test/ }).getByRole("button", { name: "Resend" }).click();
    const secondCarol = await inviteLinkFor("carol@browser.test", 1);
    expect(secondCarol).not.toBe(firstCarol);
    const carol = await newSession();
    await carol.page.goto(firstCarol);
    await expect.poll(() => carol.page.getByRole("heading", { name: "This invitation is no longer valid" }).isVisible()).toBe(true);
    await screenshot(carol.page, "invite-invalid");
    await carol.page.goto(secondCarol);
    await expect.poll(() => carol.page.getByRole("heading", { name: "Join Browser Org" }).isVisible()).toBe(true);

    // Revoke: the confirmation says what happens; afterwards the link is dead.
    await adminPage.goto("/settings/invitations");
    await adminPage.getByRole("row", { name: /carol@browser\.test/ }).getByRole("button", { name: "Revoke" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: /Revoke/ }).click();
    await expect.poll(() => adminPage.getByRole("row", { name: /carol@browser\.test/ }).count()).toBe(0);
    await carol.page.goto(secondCarol);
    await expect.poll(() => carol.page.getByRole("heading", { name: "This invitation is no longer valid" }).isVisible()).toBe(true);

    // Wrong account: Alice (signed in) opens Dave's link.
    await invite(adminPage, "dave@browser.test");
    const daveLink = await inviteLinkFor("dave@browser.test");
    await alice.page.goto(daveLink);
    await expect.poll(() => alice.page.getByTestId("wrong-account").textContent()).toMatch(/dave@browser\.test[\s\S]*alice@browser\.test/);
    await screenshot(alice.page, "invite-wrong-account");

    // Dave signs in with an emailed link (no password, no account yet): Auth.js's Resend
    // provider sends our template through the outbox; he then finds his pending invitation.
    const dave = await newSession();
    await dave.page.goto("/sign-in");
    const linkForm = dave.page.getByRole("form", { name: /link/i });
    await linkForm.getByLabel("Email", { exact: true }).fill("dave@browser.test");
    await linkForm.getByRole("button").click();
    await dave.page.waitForURL(/check-email/);
    await screenshot(dave.page, "sign-in-check-email");
    const signInLink = await (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const message = fake.delivered.find((m) => m.to.includes("dave@browser.test") && /Sign in/.test(m.subject));
        if (message) return /(http:\/\/127\.0\.0\.1:\d+\/api\/auth\/callback\/email\?\S+)/.exec(message.text)![1]!;
        if (Date.now() > deadline) throw new Error("no sign-in email for dave");
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await dave.page.goto(signInLink);

    await expect.poll(() => dave.page.getByTestId("pending-invitations").isVisible()).toBe(true);
    await screenshot(dave.page, "new-user-pending-invitations");
    await dave.page.goto("/invitations");
    await dave.page.getByRole("button", { name: "Accept invitation" }).click();
    await dave.page.waitForURL(/\/settings/);
    const { rows: daveRows } = await db.query(
      `SELECT r.name FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Role" r ON r.id = m."roleId" WHERE u.email = 'dave@browser.test'`,
    );
    expect(daveRows).toEqual([{ name: "Member" }]);

    // A Member sees no invite form, and a forged call of the admin's action is refused.
    await alice.page.goto("/settings/invitations");
    await expect.poll(() => alice.page.getByLabel(/Emails/).count()).toBe(0);
    await screenshot(alice.page, "settings-invitations-as-member");
    // The forged call: the invite action's id from the build's manifest, arguments encoded the
    // way React encodes (prevState, FormData), sent with Alice's session cookie.
    const forged = await alice.page.request.post("/settings/invitations", {
      headers: { "Next-Action": actionId("lib/actions/invitations.ts", "inviteMembersAction"), Accept: "text/x-component" },
      multipart: { "0": JSON.stringify([null, "$K1"]), "1_emails": "forged@browser.test", "1_roleId": "" },
    });
    expect(await forged.text()).toContain("Your role does not allow this action.");
    const { rows: forgedRows } = await db.query(`SELECT id FROM "Invitation" WHERE email = 'forged@browser.test'`);
    expect(forgedRows).toEqual([]);

    // An API key made in the UI works against the API, until it is deactivated in the UI.
    await adminPage.goto("/settings/api-keys");
    await adminPage.getByLabel("Name", { exact: true }).fill("Browser key");
    await adminPage.getByRole("button", { name: "Create key" }).click();
    const key = ((await adminPage.getByTestId("new-api-key").textContent()) ?? "").trim();
    expect(key).toMatch(/^confident_org_[0-9a-f]{32,}$/);
    await screenshot(adminPage, "settings-api-keys-created");
    const before = await fetch(`${base}/v1/organization`, { headers: { CONFIDENT_API_KEY: key } });
    expect(before.status).toBe(200);
    await adminPage.goto("/settings/api-keys");
    await adminPage.getByRole("row", { name: /Browser key/ }).getByRole("button", { name: "Deactivate" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Deactivate key" }).click();
    await expect.poll(async () => (await fetch(`${base}/v1/organization`, { headers: { CONFIDENT_API_KEY: key } })).status).toBe(401);

    // The remaining settings pages render.
    for (const [path, name] of [
      ["/settings/roles", "settings-roles"],
      ["/settings/audit-log", "settings-audit-log"],
      ["/settings/api-keys", "settings-api-keys"],
    ] as const) {
      await adminPage.goto(path);
      await expect.poll(() => adminPage.getByRole("heading", { level: 1 }).count()).toBeGreaterThan(0);
      await screenshot(adminPage, name);
    }
    await Promise.all([adminSession.context.close(), alice.context.close(), bob.context.close(), carol.context.close(), dave.context.close()]);
  });
});

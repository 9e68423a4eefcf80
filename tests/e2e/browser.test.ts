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
import { launchChromium, screenshot, screenshotsTaken, watchCspViolations, type CspViolation } from "../helpers/browser";
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

/** Every page of every session is watched for Content-Security-Policy violations (none allowed). */
const cspWatchers: (() => CspViolation[])[] = [];

async function newSession(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  cspWatchers.push(await watchCspViolations(page));
  return { context, page };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in with a password" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/settings/);
}

/** The newest link matching `pattern` mailed to `email` (waits for the worker to deliver it). */
async function mailedLink(email: string, pattern: RegExp, after = 0): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = fake.delivered.filter((m) => m.to.includes(email) && pattern.test(m.text));
    if (messages.length > after) return pattern.exec(messages.at(-1)!.text)![1]!;
    if (Date.now() > deadline) throw new Error(`no email to ${email} with a link like ${pattern}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const INVITE_LINK = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43})/;
const SIGN_IN_LINK = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\/confirm\?\S+)/;
const VERIFY_LINK = /(http:\/\/127\.0\.0\.1:\d+\/verify-email\?\S+)/;

const inviteLinkFor = (email: string, after = 0) => mailedLink(email, INVITE_LINK, after);

/** Opens a mailed sign-in link: its page only shows a button, and pressing it signs in. */
async function useSignInLink(page: Page, email: string) {
  await page.goto(await mailedLink(email, SIGN_IN_LINK));
  await expect.poll(() => page.getByRole("heading", { name: "Sign in to Confident" }).isVisible()).toBe(true);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
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
    // After Send the focus is on the result's summary, not lost on the page body.
    await expect.poll(() => adminPage.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("invite-summary");
    expect(await adminPage.getByTestId("invite-summary").textContent()).toBe("Done: 2 invited, 1 invalid.");
    await screenshot(adminPage, "settings-invitations-results");

    // Alice, new, with a password: the mailed link → create an account → verify the address
    // through the emailed verification link (its page asks for a click) → back to the
    // invitation → accept → member with the invited role.
    const aliceLink = await inviteLinkFor("alice@browser.test");
    const alice = await newSession();
    await alice.page.goto(aliceLink);
    await expect.poll(() => alice.page.getByRole("heading", { name: "Join Browser Org" }).isVisible()).toBe(true);
    await screenshot(alice.page, "invite-signed-out");
    await alice.page.getByRole("link", { name: "create an account with a password" }).click();
    await expect.poll(() => alice.page.getByLabel("Email", { exact: true }).inputValue()).toBe("alice@browser.test");
    await alice.page.getByLabel("Name", { exact: true }).fill("Alice");
    await alice.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await alice.page.getByRole("button", { name: "Create account" }).click();
    // Signed out on a page that reads the same whether or not the address had an account.
    await alice.page.waitForURL(/\/sign-up\/check-email/);
    await expect.poll(() => alice.page.getByText(/continue to your invitation/).isVisible()).toBe(true);
    await screenshot(alice.page, "sign-up-check-inbox");
    // Signed in with the password but not yet verified, the invitation cannot be answered.
    await alice.page.goto(aliceLink);
    await alice.page.getByRole("link", { name: "sign in with a password" }).click();
    const aliceForm = alice.page.getByRole("form", { name: "Sign in with a password" });
    await aliceForm.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await alice.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await alice.page.waitForURL(/\/invite\//);
    await expect.poll(() => alice.page.getByTestId("verify-first").isVisible()).toBe(true);
    await screenshot(alice.page, "invite-verify-first");
    // The emailed link opens a page with a button; pressing it verifies, then back to the invitation.
    await alice.page.goto(await mailedLink("alice@browser.test", VERIFY_LINK));
    await screenshot(alice.page, "verify-email-confirm");
    await alice.page.getByRole("button", { name: "Verify email" }).click();
    await alice.page.waitForURL(/\/invite\//);
    await screenshot(alice.page, "invite-signed-in");
    await alice.page.getByRole("button", { name: "Accept invitation" }).click();
    await alice.page.waitForURL(/\/settings/);
    await adminPage.goto("/settings/members");
    await expect.poll(async () => (await adminPage.getByRole("row", { name: /alice@browser\.test/ }).textContent()) ?? "").toMatch(/Member/);
    await screenshot(adminPage, "settings-members");

    // Bob, new, without a password: "Continue with email" mails a sign-in link that proves the
    // address and brings him back to the invitation; he declines.
    const bobLink = await inviteLinkFor("bob@browser.test");
    const bob = await newSession();
    await bob.page.goto(bobLink);
    await bob.page.getByRole("button", { name: "Continue with email" }).click();
    await bob.page.waitForURL(/check-email/);
    await expect.poll(() => bob.page.getByText(/return to your invitation/).isVisible()).toBe(true);
    await useSignInLink(bob.page, "bob@browser.test");
    await bob.page.waitForURL(/\/invite\//);
    await bob.page.getByRole("button", { name: "Decline" }).click();
    await bob.page.waitForURL(/\/invitations/);
    await adminPage.goto("/settings/invitations");
    // Declined invitations are listed apart from the open ones, with Re-invite.
    const declined = adminPage.getByRole("region", { name: /^Declined \(/ });
    await expect.poll(async () => (await declined.getByRole("row", { name: /bob@browser\.test/ }).textContent()) ?? "").toMatch(/Declined/i);
    expect(await adminPage.getByRole("region", { name: /^Open invitations \(/ }).getByRole("row", { name: /bob@browser\.test/ }).count()).toBe(0);
    await screenshot(adminPage, "settings-invitations-list");
    await declined.getByRole("row", { name: /bob@browser\.test/ }).getByRole("button", { name: "Re-invite" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Invite again" }).click();
    await expect.poll(() => adminPage.getByText(/Invited bob@browser\.test again as Member/).count()).toBe(1);
    await expect.poll(async () => (await adminPage.getByRole("row", { name: /bob@browser\.test/ }).textContent()) ?? "").toMatch(/Pending/);
    await inviteLinkFor("bob@browser.test", 1);

    // Erin already has an account (made and verified before she was invited): she opens the
    // link signed out, signs in with her password, and lands back on the invitation.
    const erin = await newSession();
    await erin.page.goto("/sign-up");
    await erin.page.getByLabel("Email", { exact: true }).fill("erin@browser.test");
    await erin.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await erin.page.getByRole("button", { name: "Create account" }).click();
    await erin.page.waitForURL(/\/sign-up\/check-email/);
    // Opened signed out (another device, say): the account's password confirms it.
    await erin.page.goto(await mailedLink("erin@browser.test", VERIFY_LINK));
    await erin.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await screenshot(erin.page, "verify-email-with-password");
    await erin.page.getByRole("button", { name: "Verify email" }).click();
    await erin.page.waitForURL(/\/(settings|organizations)/);
    await erin.context.clearCookies();
    await invite(adminPage, "erin@browser.test");
    await erin.page.goto(await inviteLinkFor("erin@browser.test"));
    await erin.page.getByRole("link", { name: "sign in with a password" }).click();
    const erinForm = erin.page.getByRole("form", { name: "Sign in with a password" });
    await expect.poll(() => erinForm.getByLabel("Email", { exact: true }).inputValue()).toBe("erin@browser.test");
    await erinForm.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await erin.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await erin.page.waitForURL(/\/invite\//);
    await erin.page.getByRole("button", { name: "Accept invitation" }).click();
    await erin.page.waitForURL(/\/settings/);
    const { rows: erinRows } = await db.query(
      `SELECT r.name FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Role" r ON r.id = m."roleId" WHERE u.email = 'erin@browser.test'`,
    );
    expect(erinRows).toEqual([{ name: "Member" }]);

    // Resend: the old link becomes invalid, the new one works.
    await invite(adminPage, "carol@browser.test");
    const firstCarol = await inviteLinkFor("carol@browser.test");
    await adminPage.goto("/settings/invitations");
    await adminPage.getByRole("row", { name: /carol@browser\.test/ }).getByRole("button", { name: "Resend" }).click();
    // It asks first, saying that the link sent before stops working.
    const resend = adminPage.getByRole("dialog");
    await expect.poll(() => resend.textContent()).toMatch(/link sent before stops working/);
    await resend.getByRole("button", { name: "Resend invitation" }).click();
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
    await useSignInLink(dave.page, "dave@browser.test");

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
    // way React encodes (prevState, FormData), sent with Alice's session cookie. It gets past
    // parsing, so the refusal below is the service's own (the one permission gate).
    const boundary = "----forged-boundary";
    const parts = [["_1_emails", "forged@browser.test"], ["_1_organizationRoleId", ""], ["0", JSON.stringify([null, "$K1"])]];
    const multipart = parts
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join("") + `--${boundary}--\r\n`;
    const forged = await alice.page.request.post("/settings/invitations", {
      headers: {
        "Next-Action": actionId("lib/actions/invitations.ts", "inviteMembersAction"),
        Accept: "text/x-component",
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
      },
      data: multipart,
    });
    expect(await forged.text()).toContain("Your role does not allow this action (it needs the user:manage permission)");
    const { rows: forgedRows } = await db.query(`SELECT id FROM "Invitation" WHERE email = 'forged@browser.test'`);
    expect(forgedRows).toEqual([]);

    // A form error is said once, at its field, which is marked invalid and takes the focus.
    await adminPage.goto("/settings/api-keys");
    await adminPage.getByRole("button", { name: "Create key" }).click();
    const nameField = adminPage.getByLabel("Name", { exact: true });
    await expect.poll(() => nameField.getAttribute("aria-invalid")).toBe("true");
    expect(await adminPage.getByText("Enter a name.").count()).toBe(1);
    expect(await adminPage.getByRole("form", { name: "Create an API key" }).getByRole("alert").count()).toBe(0);
    expect(await adminPage.evaluate(() => document.activeElement?.id)).toBe("api-key-name");
    expect(await nameField.getAttribute("aria-describedby")).toMatch(/api-key-name-error/);

    // An API key made in the UI works against the API, until it is deactivated in the UI.
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
    // What happened is said above the table, not squeezed into the row's actions cell.
    const keysCard = adminPage.getByRole("region", { name: "Keys", exact: true });
    await expect.poll(async () => (await keysCard.getByRole("status").textContent()) ?? "").toMatch(/Deactivated the API key “Browser key”/);
    expect(await adminPage.getByRole("row", { name: /Browser key/ }).getByRole("status").count()).toBe(0);
    // Deleting says which key went.
    await adminPage.getByRole("row", { name: /Browser key/ }).getByRole("button", { name: "Delete" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Delete key" }).click();
    await expect.poll(async () => (await keysCard.getByRole("status").textContent()) ?? "").toMatch(/Deleted the API key “Browser key”/);
    await expect.poll(() => adminPage.getByRole("row", { name: /Browser key/ }).count()).toBe(0);

    // A role without policies is not saved silently: the form warns and asks to confirm.
    await adminPage.goto("/settings/roles");
    const roleForm = adminPage.getByRole("form", { name: "Create a role" });
    await roleForm.getByLabel("Name", { exact: true }).fill("Placeholder");
    await roleForm.getByRole("button", { name: "Create role" }).click();
    const confirmEmpty = roleForm.getByLabel("Save this role without permissions");
    await expect.poll(() => confirmEmpty.isVisible()).toBe(true);
    expect(await roleForm.textContent()).toMatch(/grants no permissions/);
    await confirmEmpty.check();
    await roleForm.getByRole("button", { name: "Create role" }).click();
    await expect.poll(async () => (await roleForm.getByRole("status").textContent()) ?? "").toMatch(/Created the role “Placeholder”/);
    await adminPage.reload();
    await expect.poll(async () => (await adminPage.getByRole("listitem").filter({ hasText: "Placeholder" }).first().textContent()) ?? "").toMatch(/No permissions/);

    // The audit log: readable details, times in the viewer's zone with UTC on hover, a date range.
    const berlin = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 860 }, timezoneId: "Europe/Berlin" });
    const auditPage = await berlin.newPage();
    cspWatchers.push(await watchCspViolations(auditPage));
    await signIn(auditPage, ADMIN.email, ADMIN.password);
    await auditPage.goto("/settings/audit-log?action=org.apiKeys.update");
    const events = auditPage.getByRole("table", { name: "Audit events, newest first" });
    await expect.poll(async () => (await events.textContent()) ?? "").toMatch(/status: active →[\s\S]*deactivated/);
    const time = events.locator("time").first();
    await expect.poll(async () => (await time.textContent()) ?? "").toMatch(/GMT\+[12]/);
    expect(await time.getAttribute("title")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    // The range is in the viewer's zone: Berlin's dates, not UTC's (from 23:00 UTC they differ);
    // from yesterday, so events from minutes ago stay in range across Berlin's midnight.
    const berlinDate = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(d);
    const [from, to] = [berlinDate(new Date(Date.now() - 86_400_000)), berlinDate(new Date())];
    await auditPage.getByLabel("From", { exact: true }).fill(from);
    await auditPage.getByLabel("to", { exact: true }).fill(to);
    await auditPage.getByRole("button", { name: "Apply filters" }).click();
    await auditPage.waitForURL(/from=/);
    const url = new URL(auditPage.url());
    expect([url.searchParams.get("from"), url.searchParams.get("to"), url.searchParams.get("tz")]).toEqual([from, to, "Europe/Berlin"]);
    await expect.poll(async () => (await events.textContent()) ?? "").toMatch(/API key/);
    await screenshot(auditPage, "settings-audit-log-readable");
    await berlin.close();

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
    // The Account page: other sessions can be signed out.
    await adminPage.goto("/account");
    await expect.poll(() => adminPage.getByRole("heading", { name: "Your account" }).isVisible()).toBe(true);
    await screenshot(adminPage, "account");

    // The whole journey ran under the CSP without a single violation.
    expect(cspWatchers.flatMap((violations) => violations())).toEqual([]);
    await Promise.all(
      [adminSession, alice, bob, carol, dave, erin].map((session) => session.context.close()),
    );
  });
});

// The invitation journeys' dead ends 1-3 of issue 13, walked in Chromium against `next build &&
// next start` (journeys 4-6, joined / declined / already a member, are walked in
// pages-browser.test.ts):
// 1. with no mail provider, the sign-in page says email sign-in is unavailable instead of
//    pretending to send a link;
// 2. a sign-in link opened a second time offers a new one for the same address, and the new one
//    still leads back to the invitation (on APP_URL, not on localhost);
// 3. "Switch account" on someone else's invitation, then "Create an account", keeps the invited
//    address.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { screenshot } from "../helpers/browser";
import { INVITE_LINK, mailedLink, SIGN_IN_LINK, startBrowserApp, type BrowserApp } from "../helpers/browser-app";

const API_KEY = `confident_org_${"fee1900d".repeat(5)}`;
const PASSWORD = "journey-password-123";
const INVITEE = "lin@journeys.test";
const OTHER = "sam@journeys.test";

const main = async (page: Page) => (await page.locator("main").textContent()) ?? "";

async function invite(app: BrowserApp, email: string): Promise<string> {
  const response = await fetch(`${app.base}/v1/organization/invitations`, {
    method: "POST",
    headers: { CONFIDENT_API_KEY: API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ emails: [email] }),
  });
  expect(response.status).toBe(200);
  return mailedLink(app.fake, email, INVITE_LINK);
}

/** The provisioned organization answers once boot has finished. */
async function provisioned(app: BrowserApp) {
  for (let tries = 0; (await fetch(`${app.base}/v1/organization`, { headers: { CONFIDENT_API_KEY: API_KEY } })).status !== 200; tries++) {
    if (tries > 150) throw new Error(`the organization was not provisioned:\n${app.serverOutput()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("with mail configured", () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(`confident_journeys_browser_${process.pid}`, {
      INIT_ORG_NAME: "Journeys Org",
      INIT_USER_EMAIL: "owner@journeys.test",
      INIT_ORG_API_KEY: API_KEY,
    });
    await provisioned(app);
    await app.db.query(
      `INSERT INTO "User" (id, email, name, "emailVerified", "passwordHash", "updatedAt") VALUES ('journey-sam', $1, 'Sam', now(), $2, now())`,
      [OTHER, await hashPassword(PASSWORD)],
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("2: a used sign-in link offers a new one for the same address, which still leads to the invitation", async () => {
    const inviteLink = await invite(app, INVITEE);
    const invitePath = new URL(inviteLink).pathname;
    const first = await app.newSession();
    await first.page.goto(inviteLink);
    await first.page.getByRole("button", { name: "Continue with email" }).click();
    const link = await mailedLink(app.fake, INVITEE, SIGN_IN_LINK);
    // Every link is built on APP_URL (here the test server's address), never on localhost.
    expect(new URL(link).origin).toBe(app.base);
    await first.page.goto(link);
    await first.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await first.page.waitForURL((url) => url.pathname === invitePath);
    await first.context.close();

    // The same link again, in another browser: used, so it says so and offers a fresh one.
    const again = await app.newSession();
    await again.page.goto(link);
    await expect.poll(() => main(again.page)).toContain("This sign-in link has expired or was already used");
    expect(await main(again.page)).toContain(`We can send a new one to ${INVITEE}`);
    await screenshot(again.page, "journey-link-used");
    const sent = app.fake.delivered.filter((m) => m.to.includes(INVITEE) && SIGN_IN_LINK.test(m.text)).length;
    await again.page.getByRole("button", { name: "Email me a new link" }).click();
    const fresh = await mailedLink(app.fake, INVITEE, SIGN_IN_LINK, sent);
    expect(fresh).not.toBe(link);
    expect(new URL(fresh).origin).toBe(app.base);
    await again.page.goto(fresh);
    await again.page.getByRole("button", { name: "Sign in", exact: true }).click();
    // Back on the invitation, signed in as the invitee, who can now answer it.
    await again.page.waitForURL((url) => url.pathname === invitePath);
    await expect.poll(() => again.page.getByRole("button", { name: "Accept" }).isVisible()).toBe(true);
    await again.context.close();
  });

  it("3: Switch account, then Create an account, keeps the invited address", async () => {
    const inviteLink = await invite(app, "kim@journeys.test");
    const { context, page } = await app.newSession();
    await page.goto("/sign-in");
    const form = page.getByRole("form", { name: "Sign in with a password" });
    await form.getByLabel("Email", { exact: true }).fill(OTHER);
    await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/(settings|invitations|organizations)/);

    await page.goto(inviteLink);
    await expect.poll(() => main(page)).toContain(`but you are signed in as ${OTHER}`);
    await page.getByRole("button", { name: "Switch account" }).click();
    await page.waitForURL(/\/sign-in\?/);
    expect(await page.locator("#email").inputValue()).toBe("kim@journeys.test");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/sign-up\?/);
    const signUp = page.getByRole("form", { name: "Create an account" });
    expect(await signUp.getByLabel("Email", { exact: true }).inputValue()).toBe("kim@journeys.test");
    // And it still leads back to the invitation.
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(new URL(inviteLink).pathname);
    await screenshot(page, "journey-switch-account-sign-up");
    await context.close();
  });
});

describe("with no mail provider (production)", () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp(`confident_journeys_nomail_${process.pid}`, {
      RESEND_API_KEY: "",
      INIT_ORG_NAME: "Quiet Org",
      INIT_USER_EMAIL: "owner@quiet.test",
      INIT_ORG_API_KEY: API_KEY,
    });
    await provisioned(app);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("1: email sign-in says it is unavailable and offers the password instead; nothing is sent", async () => {
    const { context, page } = await app.newSession();
    await page.goto("/sign-in");
    await expect.poll(() => page.getByTestId("email-sign-in-unavailable").textContent()).toContain("Email sign-in is unavailable");
    expect(await page.getByRole("button", { name: "Email me a sign-in link" }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "Sign in with a password" }).isVisible()).toBe(true);
    await screenshot(page, "journey-no-mail-sign-in");
    expect(app.fake.delivered).toEqual([]);
    await context.close();
  });
});

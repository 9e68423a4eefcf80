// The built app (`next start`) on a fresh PostgreSQL database with email going to a loopback
// fake Resend, and Debian's Chromium to drive it: what a browser test needs, started and stopped
// in one place. Every page of every session is watched for CSP violations.
import pg from "pg";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, watchCspViolations, type CspViolation } from "./browser";
import { startFakeResend, type FakeResend } from "./fake-resend";
import { freePort, startServer, type RunningServer } from "./server";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BrowserApp {
  base: string;
  /** The app's database, for checking what a journey wrote. */
  db: pg.Client;
  fake: FakeResend;
  browser: Browser;
  newSession(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** Every CSP violation seen on any page so far. */
  cspViolations(): CspViolation[];
  /** What the server printed (its log), for diagnosing a failure. */
  serverOutput(): string;
  stop(): Promise<void>;
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `env` adds to (or overrides) the production settings of the server. */
export async function startBrowserApp(database: string, env: Record<string, string>): Promise<BrowserApp> {
  const fake = await startFakeResend();
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: RunningServer | undefined;
  let db: pg.Client | undefined;
  let browser: Browser | undefined;
  const watchers: (() => CspViolation[])[] = [];
  const stop = async () => {
    await browser?.close();
    await db?.end();
    await server?.stop();
    await fake.close();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
  try {
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
        ...env,
      },
      { port },
    );
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    browser = await launchChromium();
  } catch (error) {
    await stop();
    throw error;
  }
  const chromium = browser;
  return {
    base,
    db,
    fake,
    browser: chromium,
    async newSession(options = {}) {
      const context = await chromium.newContext({ baseURL: base, viewport: { width: 1280, height: 860 }, ...options });
      const page = await context.newPage();
      watchers.push(await watchCspViolations(page));
      return { context, page };
    },
    cspViolations: () => watchers.flatMap((seen) => seen()),
    serverOutput: () => server?.output() ?? "",
    stop,
  };
}

export async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in with a password" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/settings/);
}

export const INVITE_LINK = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43})/;
export const SIGN_IN_LINK = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\/confirm\?\S+)/;

/** The newest link matching `pattern` mailed to `email` (waits for the outbox worker to deliver it). */
export async function mailedLink(fake: FakeResend, email: string, pattern: RegExp, after = 0): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = fake.delivered.filter((m) => m.to.includes(email) && pattern.test(m.text));
    if (messages.length > after) return pattern.exec(messages.at(-1)!.text)![1]!;
    if (Date.now() > deadline) throw new Error(`no email to ${email} with a link like ${pattern}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens a mailed sign-in link: its page only shows a button, and pressing it signs in. */
export async function useSignInLink(fake: FakeResend, page: Page, email: string) {
  await page.goto(await mailedLink(fake, email, SIGN_IN_LINK));
  await expect.poll(() => page.getByRole("heading", { name: "Sign in to Confident" }).isVisible()).toBe(true);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * What makes the page wider than its viewport (wide tables must scroll inside their card): the
 * outermost elements reaching past its right edge, as `tag.class (width px)`; empty when it fits.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const wide = [...document.body.querySelectorAll<HTMLElement>("*")].filter((el) => el.getBoundingClientRect().right > width + 0.5);
    // Only the outermost of nested offenders, and not what a scroll container clips. An
    // absolutely positioned element (screen-reader-only text, say) is clipped only from its
    // containing block up: a scroll box in between does not contain it, and it widens the page.
    const clipped = (el: HTMLElement) => {
      const position = getComputedStyle(el).position;
      if (position === "fixed") return false;
      const from = position === "absolute" ? el.offsetParent : el.parentElement;
      for (let up = from; up; up = up.parentElement) if (/(auto|scroll|hidden)/.test(getComputedStyle(up).overflowX)) return true;
      return false;
    };
    return wide
      .filter((el) => !clipped(el) && !wide.includes(el.parentElement as HTMLElement))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().width)} px)`);
  });
}

// Abuse of the sign-in endpoints against a real `next start` on PostgreSQL: a bounded flood of
// wrong passwords and of sign-in-link requests for one account, from one client address, while
// another person signs in normally from theirs. The flood is cut by the per-account and
// per-client limits (counted in PostgreSQL), the queued mail stays within the per-address limit,
// and the bystander is not affected. Figures are printed for the README / notes; bounds are
// generous because CI machines are noisy. The app runs as behind one reverse proxy
// (TRUSTED_PROXY_HOPS=1): the proxy's X-Forwarded-For entry is the client address.
import { describe, expect, it, onTestFinished } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { AUTH_SECRET, freshDatabase, query, runPool, sleep, summarize, tally, waitHealthy } from "../helpers/resilience";
import { startServer } from "../helpers/server";

const VICTIM = { email: "victim@auth-flood.test", password: "victim-password-123" };
const BYSTANDER = { email: "bystander@auth-flood.test", password: "bystander-password-123" };
const ATTACKER_IP = "198.51.100.66";
const BYSTANDER_IP = "192.0.2.7";

class Client {
  private cookies = new Map<string, string>();
  constructor(
    private readonly base: string,
    private readonly ip: string,
  ) {}

  async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.ip);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${this.base}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
    return response;
  }

  async csrf(): Promise<string> {
    return ((await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  }

  /** "ok", or Auth.js's refusal code ("credentials", "rate_limited"). */
  async password(email: string, password: string, csrfToken: string): Promise<string> {
    const body = new URLSearchParams({ email, password, csrfToken, callbackUrl: "/settings" });
    const response = await this.fetch("/api/auth/callback/password", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const location = new URL(response.headers.get("location") ?? "/", this.base);
    return location.searchParams.get("error") ? (location.searchParams.get("code") ?? "error") : "ok";
  }

  async signInLink(email: string, csrfToken: string): Promise<number> {
    const body = new URLSearchParams({ email, csrfToken, callbackUrl: "/settings" });
    const response = await this.fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    return response.status;
  }
}

/** Waits out the end of a fixed window when the flood might straddle it (15-minute and hourly windows). */
async function roomInWindows(needMs: number) {
  for (const windowMs of [15 * 60_000, 60 * 60_000]) {
    const left = windowMs - (Date.now() % windowMs);
    if (left < needMs) await sleep(left + 500);
  }
}

describe("sign-in floods", () => {
  it("cuts a flood of wrong passwords and link requests at the limits while another account signs in normally", async () => {
    const database = await freshDatabase("auth_flood");
    const stack: (() => Promise<unknown>)[] = [() => database.drop()];
    onTestFinished(async () => {
      for (const fn of stack.reverse()) await fn().catch((e) => console.error("cleanup failed:", e));
    });
    const server = await startServer("start", {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      AUTH_SECRET,
      EMAIL_WORKER: "off",
      TRUSTED_PROXY_HOPS: "1",
      INIT_ORG_NAME: "Flood Org",
      INIT_USER_EMAIL: VICTIM.email,
      INIT_USER_PASSWORD: VICTIM.password,
    });
    stack.push(() => server.stop());
    await waitHealthy(server.url, 60_000, server.output);
    await query(database.url, `INSERT INTO "User" (id, email, "emailVerified", "passwordHash", "updatedAt") VALUES ($1, $2, now(), $3, now())`, [
      "bystander",
      BYSTANDER.email,
      await hashPassword(BYSTANDER.password),
    ]);

    // At most 8 sign-ins for the bystander: their own account's limit is 10 per 15 minutes.
    const bystander = new Client(server.url, BYSTANDER_IP);
    const timedBystanderSignIn = async () => {
      const started = performance.now();
      const outcome = await bystander.password(BYSTANDER.email, BYSTANDER.password, await bystander.csrf());
      return { outcome, ms: performance.now() - started };
    };
    const quiet = [];
    for (let i = 0; i < 3; i++) quiet.push(await timedBystanderSignIn());

    await roomInWindows(60_000);
    const attacker = new Client(server.url, ATTACKER_IP);
    const csrfToken = await attacker.csrf();
    const started = performance.now();
    const during: { outcome: string; ms: number }[] = [];
    const bystanderLoop = (async () => {
      while (performance.now() - started < 60_000 && during.length < 5) {
        during.push(await timedBystanderSignIn());
        await sleep(100);
      }
    })();
    const [guesses, links] = await Promise.all([
      runPool(200, 16, (i) => attacker.password(VICTIM.email, `wrong guess ${i}`, csrfToken)),
      runPool(100, 8, () => attacker.signInLink(VICTIM.email, csrfToken)),
    ]);
    const floodMs = performance.now() - started;
    await bystanderLoop;
    const rightPassword = await attacker.password(VICTIM.email, VICTIM.password, csrfToken);
    const [counted] = await query<{ mails: number }>(
      database.url,
      `SELECT count(*)::int AS mails FROM "EmailOutbox" WHERE kind = 'sign-in-link' AND recipient = $1`,
      [VICTIM.email],
    );
    const mails = counted!.mails;

    const figures = {
      floodSeconds: Math.round(floodMs / 100) / 10,
      passwordAnswers: tally(guesses),
      linkStatuses: tally(links),
      signInLinksQueued: mails,
      victimRightPasswordAfter: rightPassword,
      bystanderQuiet: summarize(quiet.map((q) => q.ms)),
      bystanderDuringFlood: summarize(during.map((d) => d.ms)),
      bystanderOutcomes: tally([...quiet, ...during].map((d) => d.outcome)),
    };
    console.log(`auth flood figures: ${JSON.stringify(figures)}`);

    // The per-account limit (10 per 15 minutes) let 10 guesses be checked; the rest were refused
    // before any hash was computed. The per-client limit (50) did not matter for one account.
    expect(tally(guesses)).toEqual({ credentials: 10, rate_limited: 190 });
    expect(rightPassword).toBe("rate_limited");
    // Every link request got the same answer; at most 5 emails went to the address per hour.
    expect(new Set(links)).toEqual(new Set([302]));
    expect(mails).toBe(5);
    // The bystander signed in every time, during the flood too, in bounded time.
    expect(figures.bystanderOutcomes).toEqual({ ok: quiet.length + during.length });
    expect(during.length).toBeGreaterThan(0);
    expect(figures.bystanderDuringFlood.max).toBeLessThan(5_000);
  });
});

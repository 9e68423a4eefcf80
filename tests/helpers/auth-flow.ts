// Drives the real Auth.js route handlers in-process, as a browser would: a cookie jar, the CSRF
// dance, password sign-in, asking for an emailed sign-in link and using it. The Host a request
// claims to be for is a parameter, so tests can forge it.
import { NextRequest } from "next/server";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { open } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db";
import { OUTBOX_SECRET_PURPOSE } from "@/lib/services/outbox";

type Handler = (request: NextRequest) => Promise<Response>;
const route = authRoute as unknown as { GET: Handler; POST: Handler };

export const SESSION_COOKIE = "authjs.session-token";

export class AuthBrowser {
  readonly cookies = new Map<string, string>();

  /** `client` plays the address Next.js puts in X-Forwarded-For for a direct connection. */
  constructor(
    readonly host = "localhost:3000",
    readonly client = "192.0.2.1",
  ) {}

  async request(
    method: "GET" | "POST",
    path: string,
    { form, headers = {} }: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const request = new NextRequest(`http://${this.host}${path}`, {
      method,
      headers: {
        host: this.host,
        "x-forwarded-for": this.client,
        ...(cookie ? { cookie } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const response = await (method === "GET" ? route.GET : route.POST)(request);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (!value || expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }

  async csrfToken(): Promise<string> {
    const response = await this.request("GET", "/api/auth/csrf");
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  async signInWithPassword(email: string, password: string, callbackUrl = "/settings"): Promise<Response> {
    const csrfToken = await this.csrfToken();
    return this.request("POST", "/api/auth/callback/password", { form: { email, password, csrfToken, callbackUrl } });
  }

  /** Where a password sign-in went: "ok", or Auth.js's `code` for a refusal ("credentials", "rate_limited"). */
  async passwordOutcome(email: string, password: string): Promise<string> {
    const location = (await this.signInWithPassword(email, password)).headers.get("location") ?? "";
    const url = new URL(location, "http://localhost");
    return url.searchParams.get("error") ? (url.searchParams.get("code") ?? url.searchParams.get("error")!) : "ok";
  }

  async signOut(): Promise<Response> {
    const csrfToken = await this.csrfToken();
    return this.request("POST", "/api/auth/signout", { form: { csrfToken, callbackUrl: "/sign-in" } });
  }

  async requestSignInLink(email: string, callbackUrl = "/settings", headers: Record<string, string> = {}) {
    const csrfToken = await this.csrfToken();
    return this.request("POST", "/api/auth/signin/email", { form: { email, csrfToken, callbackUrl }, headers });
  }

  /** Uses a mailed sign-in link the way its page does: a POST of its token to Auth.js's callback. */
  async useSignInLink(link: string, callbackUrl = "/settings"): Promise<Response> {
    const url = new URL(link);
    const query = new URLSearchParams({ token: url.searchParams.get("token")!, email: url.searchParams.get("email")! });
    return this.request("POST", `/api/auth/callback/email?${query}`, { form: { callbackUrl } });
  }

  /** Auth.js's own answer about the session in this jar (null once it has ended). */
  async session(): Promise<{ user?: { id?: string; email?: string }; sid?: string } | null> {
    const response = await this.request("GET", "/api/auth/session");
    return (await response.json()) as { user?: { email?: string } } | null;
  }
}

/** The link in the newest queued email of a kind to an address, decrypted from the outbox. */
export async function mailedLink(recipient: string, kind: string): Promise<string> {
  const row = await getPrisma().emailOutbox.findFirstOrThrow({
    where: { recipient, kind },
    orderBy: { createdAt: "desc" },
  });
  return (JSON.parse(open(row.secret!, OUTBOX_SECRET_PURPOSE)) as { url: string }).url;
}

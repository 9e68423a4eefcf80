// Auth.js v5: sign-in by email + password (Credentials) or by an emailed link (Resend provider,
// sent through our outbox and React Email template). Sessions are JWTs (Credentials requires
// it) that name a UserSession row, checked on every request (lib/services/sessions.ts), so a
// session can be ended. The Prisma adapter stores users and the one-time link tokens.
// Configuration is built lazily so `next build` never opens the database.
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { AuthError, type CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Resend from "next-auth/providers/resend";
import { getPrisma } from "@/lib/db";
import { env, pinAuthUrl } from "@/lib/env";
import { log } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { normalizeEmail, signupAllowed, verifyCredentials } from "@/lib/services/accounts";
import { claimAddressBySignInLink, queueSignInLink } from "@/lib/services/sign-in-links";
import { normalizeEmailOrThrow } from "@/lib/validation/email";
import { clientAddress } from "./client-address";
import { SignInThrottled } from "./errors";
import { endSession, isSessionLive, SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/services/sessions";
import { getAuthSecret } from "./secret";
import { safeCallbackPath } from "./redirect";

declare module "next-auth" {
  interface Session {
    /** The UserSession row this browser session is (see lib/services/sessions.ts). */
    sid?: string;
  }
}

/** Runs `work`, turning our rate-limit refusal into the Auth.js error that carries its words. */
async function throttledAs<T>(Refusal: new (detail: string) => Error, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") throw new Refusal(error.message);
    throw error;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  // Before anything else: Auth.js derives its own origin (and so every link it builds) from
  // AUTH_URL, never from the request's Host header.
  pinAuthUrl();
  return {
    adapter: PrismaAdapter(getPrisma() as never),
    secret: getAuthSecret(),
    // Safe because AUTH_URL is always set (pinAuthUrl): Auth.js then takes its origin from it.
    trustHost: true,
    // Secure cookies whenever the public URL is https, even if AUTH_URL names an internal http URL.
    useSecureCookies: env().APP_URL.startsWith("https://"),
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      // `type` rather than `name`: class names are minified in production builds.
      error(error) {
        if (error instanceof AuthError && error.type === "CredentialsSignin") {
          log.info("Password sign-in refused", { reason: (error as CredentialsSignin).code });
          return;
        }
        log.error(`Auth.js: ${error instanceof AuthError ? error.type : error.name}`, { message: error.message });
      },
    },
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
    providers: [
      Credentials({
        id: "password",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          if (!email || !password) return null;
          return throttledAs(SignInThrottled, () => verifyCredentials(email, password, clientAddress(request.headers)));
        },
      }),
      Resend({
        id: "email",
        name: "Email link",
        from: env().EMAIL_FROM,
        maxAge: 30 * 60,
        // The app's one address rule: a list, a quoted local part or no @ at all is refused here
        // too, not only in our own forms (Auth.js's endpoint can be called directly).
        normalizeIdentifier: normalizeEmailOrThrow,
        async sendVerificationRequest({ identifier, url, expires, request }) {
          await queueSignInLink(identifier, url, expires, clientAddress(request.headers));
        },
      }),
    ],
    callbacks: {
      async signIn({ user, account, email }) {
        if (account?.provider !== "email" || !user.email) return true;
        // Asking for a link: always the same answer (queueSignInLink decides, silently, whether
        // an address with no account gets one while sign-up is closed).
        if (email?.verificationRequest) return true;
        // The link was used (by a POST from its page). A link for a new address creates the
        // account: honour closed sign-up as it is now (an invitation may have been revoked since).
        const existing = await getPrisma().user.findUnique({ where: { email: normalizeEmail(user.email) }, select: { id: true } });
        if (!existing && !(await signupAllowed(user.email))) return "/sign-in?error=SignupClosed";
        await claimAddressBySignInLink(user.email);
        return true;
      },
      async jwt({ token, user }) {
        // `user` is only there when signing in: that is when a session starts.
        if (user?.id) {
          token.sub = user.id;
          token.sid = await startSession(user.id);
          return token;
        }
        // Every later read of the session: an ended one is no session (Auth.js clears its cookie).
        const live = typeof token.sub === "string" && typeof token.sid === "string" && (await isSessionLive(token.sub, token.sid));
        return live ? token : null;
      },
      session({ session, token }) {
        if (token.sub && session.user) session.user.id = token.sub;
        if (typeof token.sid === "string") session.sid = token.sid;
        return session;
      },
      redirect({ url, baseUrl }) {
        // Only ever back into this app (no open redirect), and as a relative path.
        const config = env();
        return safeCallbackPath(url, baseUrl, [config.APP_URL, ...(config.AUTH_URL ? [config.AUTH_URL] : [])]);
      },
    },
    events: {
      async signOut(message) {
        // Signing out ends the session for good, not just its cookie in this browser.
        if ("token" in message && message.token && typeof message.token.sid === "string") {
          await endSession(message.token.sid);
        }
      },
    },
  };
});

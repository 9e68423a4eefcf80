// Auth.js v5: sign-in by email + password (Credentials) or by an emailed link (Resend provider,
// sent through our outbox and React Email template). Sessions are JWTs (Credentials requires
// it) that name a UserSession row, checked on every request (lib/services/sessions.ts), so a
// session can be ended. The Prisma adapter stores users and the one-time link tokens.
// Configuration is built lazily so `next build` never opens the database.
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Resend from "next-auth/providers/resend";
import { getPrisma } from "@/lib/db";
import { env, pinAuthUrl } from "@/lib/env";
import { log } from "@/lib/log";
import {
  claimAddressBySignInLink,
  normalizeEmail,
  queueSignInLink,
  signupAllowed,
  verifyCredentials,
} from "@/lib/services/accounts";
import { endSession, isSessionLive, SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/services/sessions";
import { getAuthSecret } from "./secret";
import { safeCallbackPath } from "./redirect";

declare module "next-auth" {
  interface Session {
    /** The UserSession row this browser session is (see lib/services/sessions.ts). */
    sid?: string;
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
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        if (error.name === "CredentialsSignin") return;
        log.error(`Auth.js: ${error.name}`, { message: error.message });
      },
    },
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
    providers: [
      Credentials({
        id: "password",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          if (!email || !password) return null;
          return verifyCredentials(email, password);
        },
      }),
      Resend({
        id: "email",
        name: "Email link",
        from: env().EMAIL_FROM,
        maxAge: 30 * 60,
        normalizeIdentifier: normalizeEmail,
        async sendVerificationRequest({ identifier, url, expires }) {
          await queueSignInLink(identifier, url, expires);
        },
      }),
    ],
    callbacks: {
      async signIn({ user, account, email }) {
        if (account?.provider !== "email" || !user.email) return true;
        if (email?.verificationRequest) {
          // An email link for an address with no account creates one: honour closed sign-up.
          const existing = await getPrisma().user.findUnique({
            where: { email: normalizeEmail(user.email) },
            select: { id: true },
          });
          if (!existing && !(await signupAllowed(user.email))) return "/sign-in?error=SignupClosed";
          return true;
        }
        // The link was used (by a POST from its page): the address is proved.
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

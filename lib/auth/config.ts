// Auth.js v5: sign-in by email + password (Credentials) or by an emailed link (Resend provider,
// sent through our outbox and React Email template). Sessions are JWTs (Credentials requires
// it); the Prisma adapter stores users and the one-time link tokens. Configuration is built
// lazily so `next build` never opens the database.
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Resend from "next-auth/providers/resend";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { normalizeEmail, queueSignInLink, signupAllowed, verifyCredentials } from "@/lib/services/accounts";
import { getAuthSecret } from "./secret";
import { safeCallbackPath } from "./redirect";

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: PrismaAdapter(getPrisma() as never),
  secret: getAuthSecret(),
  trustHost: true,
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if (error.name === "CredentialsSignin") return;
      log.error(`Auth.js: ${error.name}`, { message: error.message });
    },
  },
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
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
    async signIn({ user, account }) {
      // An email link for an address with no account creates one: honour closed sign-up.
      if (account?.provider === "email" && user.email) {
        const existing = await getPrisma().user.findUnique({ where: { email: normalizeEmail(user.email) }, select: { id: true } });
        if (!existing && !(await signupAllowed(user.email))) return "/sign-in?error=SignupClosed";
      }
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
    redirect({ url, baseUrl }) {
      // Only ever back into this app (no open redirect), and as a relative path: behind a proxy
      // or on another local hostname the request's origin can differ from the browser's.
      const config = env();
      return safeCallbackPath(url, baseUrl, [config.APP_URL, ...(config.AUTH_URL ? [config.AUTH_URL] : [])]);
    },
  },
}));

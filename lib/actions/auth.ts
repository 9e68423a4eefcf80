"use server";
// Sign-in, sign-up, email verification and sign-out. Auth.js does the signing in; every rule
// about accounts lives in lib/services/accounts.ts. Redirect targets only ever come from
// safeCallbackPath, so a crafted callbackUrl cannot send anyone to another site.
import { randomUUID } from "node:crypto";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/config";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { registerAccount, sendVerificationEmail, verifyEmailToken } from "@/lib/services/accounts";
import type { ActionResult } from "./run";

const MIN_PASSWORD = 10;

const Email = z.string({ error: "Enter your email address" }).trim().toLowerCase().pipe(z.email("Enter a valid email address"));

const SignInForm = z.object({
  email: Email,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password"),
});

const LinkForm = z.object({ email: Email });

const SignUpForm = z.object({
  name: z.string().trim().max(100, "Name must be at most 100 characters").optional(),
  email: Email,
  password: z
    .string({ error: "Choose a password" })
    .min(MIN_PASSWORD, `Use at least ${MIN_PASSWORD} characters`)
    .max(200, "Use at most 200 characters"),
});

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/** Where to go after signing in: the form's callbackUrl if it stays inside the app. */
function destination(form: FormData, fallback = "/settings") {
  const requested = text(form, "callbackUrl");
  return requested ? safeCallbackPath(requested) : fallback;
}

function invalid(error: z.ZodError): ActionResult {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
  return { ok: false, error: error.issues[0]?.message ?? "Check the form", fieldErrors };
}

function failed(error: unknown, what: string): ActionResult {
  const reference = randomUUID();
  log.error(`${what} failed`, { requestId: reference, stack: error instanceof Error ? error.stack : String(error) });
  return { ok: false, error: `Something went wrong (reference ${reference}). Please try again.` };
}

export async function signInWithPassword(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = SignInForm.safeParse({ email: text(form, "email"), password: text(form, "password") });
  if (!parsed.success) return invalid(parsed.error);
  try {
    await signIn("password", { ...parsed.data, redirectTo: destination(form) });
  } catch (error) {
    // Auth.js reports failures as AuthError subclasses; anything else (above all Next.js's
    // redirect signal on success) must propagate untouched.
    if (error instanceof AuthError) {
      if (error.type === "CredentialsSignin") return { ok: false, error: "Wrong email or password" };
      return failed(error, "Password sign-in");
    }
    throw error;
  }
  return { ok: true, data: undefined };
}

export async function sendSignInLink(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = LinkForm.safeParse({ email: text(form, "email") });
  if (!parsed.success) return invalid(parsed.error);
  const { email } = parsed.data;
  let target: string;
  try {
    target = await signIn("email", { email, redirectTo: destination(form), redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return failed(error, "Sending a sign-in link");
    throw error;
  }
  // The signIn callback answers with ?error=SignupClosed for an unknown address when sign-up is
  // closed; say it here rather than bouncing the user to another page.
  const url = new URL(target, "http://localhost");
  if (url.searchParams.get("error") === "SignupClosed") {
    return { ok: false, error: "Sign-up is closed on this installation; ask an administrator for an invitation" };
  }
  if (url.searchParams.has("error")) redirect(`/sign-in?error=${encodeURIComponent(url.searchParams.get("error")!)}`);
  redirect(`/sign-in/check-email?${new URLSearchParams({ email, callbackUrl: destination(form) })}`);
}

/**
 * Creates a password account and signs it in, unverified: it reaches nothing but the page that
 * asks for the verification link we just mailed, which then leads on to `callbackUrl` (e.g. the
 * invitation the person came from).
 */
export async function signUp(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = SignUpForm.safeParse({ name: text(form, "name"), email: text(form, "email"), password: text(form, "password") });
  if (!parsed.success) return invalid(parsed.error);
  const next = destination(form);
  try {
    await registerAccount(parsed.data, next);
  } catch (error) {
    if (error instanceof AppError && error.code !== "internal") return { ok: false, error: error.message };
    return failed(error, "Sign-up");
  }
  const verifyPage = `/verify-email?${new URLSearchParams({ sent: "1", callbackUrl: next })}`;
  try {
    await signIn("password", { email: parsed.data.email, password: parsed.data.password, redirectTo: verifyPage });
  } catch (error) {
    // The account exists now; if signing in fails anyway, send them to the sign-in page.
    if (error instanceof AuthError) redirect(`/sign-in?email=${encodeURIComponent(parsed.data.email)}`);
    throw error;
  }
  return { ok: true, data: undefined };
}

export async function resendVerificationEmail(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Sign in first, then ask for a new link." };
  if (user.emailVerified) return { ok: true, data: undefined, message: "Your email address is already verified." };
  try {
    await sendVerificationEmail(user.email, destination(form, "/settings"));
  } catch (error) {
    if (error instanceof AppError && error.code !== "internal") return { ok: false, error: error.message };
    return failed(error, "Sending a verification email");
  }
  return { ok: true, data: undefined, message: `We sent a new verification link to ${user.email}.` };
}

/**
 * The button on the page a verification link opens: uses the link for the signed-in account
 * (the GET of the link never does), then goes on to where the link leads.
 */
export async function verifyEmailAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again, then open the link once more." };
  let outcome: Awaited<ReturnType<typeof verifyEmailToken>>;
  try {
    outcome = await verifyEmailToken(text(form, "token") ?? "", user.id, user.sessionId);
  } catch (error) {
    return failed(error, "Verifying an email address");
  }
  if (outcome === "other-account") {
    return { ok: false, error: `This link is for another address, not ${user.email}. Sign out and sign in with that address.` };
  }
  if (outcome === "invalid") {
    return { ok: false, error: "This link has expired or was already used. Ask for a new one below." };
  }
  redirect(destination(form, "/settings"));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

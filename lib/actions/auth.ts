"use server";
// Sign-in, sign-up, email verification and sign-out. Auth.js does the signing in; every rule
// about accounts lives in the services (accounts, email-verification, sign-in-links). Redirect
// targets only ever come from safeCallbackPath, so a crafted callbackUrl cannot send anyone to
// another site. Answers never tell whether an address has an account.
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { signIn, signOut } from "@/lib/auth/config";
import { detailOf } from "@/lib/auth/errors";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser } from "@/lib/auth/session";
import { MIN_PASSWORD_LENGTH, registerAccount, verifyCredentials } from "@/lib/services/accounts";
import { sendVerificationEmail, verificationTokenEmail, verifyEmailToken } from "@/lib/services/email-verification";
import { signInLinkRefusal } from "@/lib/services/sign-in-links";
import { emailField } from "@/lib/validation/email";
import { MAIL_UNAVAILABLE, mailDelivery } from "@/lib/email/delivery";

const SIGNUP_NEEDS_MAIL =
  "New accounts cannot be verified yet: this installation has no mail provider configured (RESEND_API_KEY). " +
  "Ask your administrator to set up email.";
import { invalidForm } from "./field-errors";
import { actionFailure, type ActionResult } from "./run";

const Email = emailField();

const Password = z
  .string({ error: "Choose a password" })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

const SignInForm = z.object({
  email: Email,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password"),
});

const LinkForm = z.object({ email: Email });

const SignUpForm = z.object({
  name: z
    .string()
    .trim()
    .max(100, "Name must be at most 100 characters")
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Name must not contain control characters")
    .optional(),
  email: Email,
  password: Password,
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

const invalid = (error: z.ZodError): ActionResult => invalidForm(error);

/** Failures of Auth.js itself or bugs: logged with a reference; ours are told as they are. */
const failed = (error: unknown, what: string): ActionResult => actionFailure(error, what);
const told = failed;

const client = async () => clientAddress(await headers());

export async function signInWithPassword(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = SignInForm.safeParse({ email: text(form, "email"), password: text(form, "password") });
  if (!parsed.success) return invalid(parsed.error);
  try {
    await signIn("password", { ...parsed.data, redirectTo: destination(form) });
  } catch (error) {
    // Auth.js reports failures as AuthError subclasses; anything else (above all Next.js's
    // redirect signal on success) must propagate untouched.
    if (error instanceof AuthError) {
      if (error.type === "CredentialsSignin") return { ok: false, error: detailOf(error) ?? "Wrong email or password" };
      return failed(error, "Password sign-in");
    }
    throw error;
  }
  return { ok: true, data: undefined };
}

/** The same answer for every address: the check-your-inbox page (or a limit's refusal). */
export async function sendSignInLink(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = LinkForm.safeParse({ email: text(form, "email") });
  if (!parsed.success) return invalid(parsed.error);
  // Nothing could arrive: say so rather than "we sent you a link".
  if (mailDelivery() === "none") return { ok: false, error: MAIL_UNAVAILABLE };
  const { email } = parsed.data;
  let target: string;
  try {
    target = await signIn("email", { email, redirectTo: destination(form), redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      const detail = detailOf(error);
      return detail ? { ok: false, error: detail } : failed(error, "Sending a sign-in link");
    }
    throw error;
  }
  const url = new URL(target, "http://localhost");
  if (url.searchParams.has("error")) redirect(`/sign-in?error=${encodeURIComponent(url.searchParams.get("error")!)}`);
  // Auth.js answers the same when a limit held the email back; our own form says so.
  const refusal = await signInLinkRefusal(email, await client());
  if (refusal) return { ok: false, error: refusal };
  redirect(`/sign-in/check-email?${new URLSearchParams({ email, callbackUrl: destination(form) })}`);
}

/**
 * Creates a password account, unverified, and sends the verification link — or, if the address
 * already has an account, tells its owner by email. Either way the person lands on the same
 * check-your-inbox page, signed out: the link (and their password) lead on to `callbackUrl`.
 */
export async function signUp(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = SignUpForm.safeParse({ name: text(form, "name"), email: text(form, "email"), password: text(form, "password") });
  if (!parsed.success) return invalid(parsed.error);
  const next = destination(form);
  if (mailDelivery() === "none") return { ok: false, error: SIGNUP_NEEDS_MAIL };
  try {
    await registerAccount(parsed.data, next, await client());
  } catch (error) {
    return told(error, "Sign-up");
  }
  redirect(`/sign-up/check-email?${new URLSearchParams({ email: parsed.data.email, callbackUrl: next })}`);
}

export async function resendVerificationEmail(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Sign in first, then ask for a new link." };
  if (user.emailVerified) return { ok: true, data: undefined, message: "Your email address is already verified." };
  try {
    await sendVerificationEmail(user.email, destination(form, "/settings"), await client());
  } catch (error) {
    return told(error, "Sending a verification email");
  }
  return { ok: true, data: undefined, message: `We sent a new verification link to ${user.email}.` };
}

const WRONG_PASSWORD = "That is not the password of this account";

function verifyRefusal(outcome: "invalid" | "other-account", email?: string): ActionResult {
  return outcome === "other-account"
    ? { ok: false, error: `This link is for another address${email ? `, not ${email}` : ""}. Sign out and sign in with that address.` }
    : { ok: false, error: "This link has expired or was already used. Ask for a new one below." };
}

/**
 * The button on the page a verification link opens, for the signed-in owner of the account:
 * uses the link (the GET of the link never does), then goes on to where the link leads.
 */
export async function verifyEmailAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Your session has ended. Open the link again to confirm with your password." };
  let outcome: Awaited<ReturnType<typeof verifyEmailToken>>;
  try {
    outcome = await verifyEmailToken(text(form, "token") ?? "", user.id, user.sessionId);
  } catch (error) {
    return failed(error, "Verifying an email address");
  }
  if (outcome !== "verified") return verifyRefusal(outcome, user.email);
  redirect(destination(form, "/settings"));
}

/**
 * The same page for someone signed out: the account's password proves they made it, the link
 * proves the address. Then they are signed in and go on to where the link leads.
 */
export async function verifyEmailWithPasswordAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const token = text(form, "token") ?? "";
  const password = text(form, "password") ?? "";
  if (!password) return { ok: false, error: "Enter your password", fieldErrors: { password: ["Enter your password"] } };
  const email = await verificationTokenEmail(token);
  if (!email) return verifyRefusal("invalid");
  try {
    const user = await verifyCredentials(email, password, await client());
    if (!user) return { ok: false, error: WRONG_PASSWORD, fieldErrors: { password: [WRONG_PASSWORD] } };
    const outcome = await verifyEmailToken(token, user.id);
    if (outcome !== "verified") return verifyRefusal(outcome);
  } catch (error) {
    return told(error, "Verifying an email address");
  }
  try {
    await signIn("password", { email, password, redirectTo: destination(form, "/settings") });
  } catch (error) {
    // Verified either way; if signing in fails now, the sign-in page takes over.
    if (error instanceof AuthError) redirect(`/sign-in?email=${encodeURIComponent(email)}`);
    throw error;
  }
  return { ok: true, data: undefined };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

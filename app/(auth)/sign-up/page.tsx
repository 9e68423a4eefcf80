import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { signUp } from "@/lib/actions/auth";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { SIGNUP_CLOSED_MESSAGE } from "@/lib/services/accounts";
import { AuthCard } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const requested = first(params.callbackUrl);
  const next = requested ? safeCallbackPath(requested) : "";
  if (await getSessionUser()) redirect(next && !/^\/sign-(in|up)\b/.test(next) ? next : "/settings");
  const email = first(params.email) ?? "";
  const signInHref = `/sign-in?${new URLSearchParams({ ...(email && { email }), ...(next && { callbackUrl: next }) })}`;

  return (
    <AuthCard
      stack={false}
      after={
        <p className="muted" style={{ textAlign: "center" }}>
        Already have an account? <Link href={signInHref}>Sign in</Link>
        </p>
      }
    >
        <h1>Create your account</h1>
        <p className="muted">Then create an organization, or join the one that invited you.</p>
        {env().AUTH_DISABLE_SIGNUP ? (
          <div className="stack">
            <p className="alert alert-info">{SIGNUP_CLOSED_MESSAGE}</p>
            <Link href={signInHref} className="button button-primary">
              Go to sign-in
            </Link>
          </div>
        ) : (
        <ActionForm action={signUp} aria-label="Create an account" className="stack">
          <input type="hidden" name="callbackUrl" value={next} />
          <div className="field">
            <label htmlFor="name">Name</label>
            <input id="name" name="name" type="text" autoComplete="name" maxLength={100} aria-describedby="name-error" />
            <FieldError name="name" />
          </div>
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="email" defaultValue={email} required aria-describedby="email-error" />
            <FieldError name="email" />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              aria-describedby="password-hint password-error"
            />
            <span id="password-hint" className="hint">
              At least 10 characters.
            </span>
            <FieldError name="password" />
          </div>
          <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
          <span className="hint">We email you a link to verify the address before the account can be used.</span>
        </ActionForm>
        )}
    </AuthCard>
  );
}

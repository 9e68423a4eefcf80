// Refusals that must pass through Auth.js with our own words: it rethrows AuthError instances
// as they are to the server actions that called signIn(), which show `detail` to the person.
import { CredentialsSignin } from "next-auth";

/** A password attempt over the sign-in limits (a failed sign-in to Auth.js, `?code=rate_limited`). */
export class SignInThrottled extends CredentialsSignin {
  code = "rate_limited";

  constructor(readonly detail: string) {
    super(detail);
  }
}

/** Our words for a refusal raised inside Auth.js, if it is one of ours. */
export function detailOf(error: unknown): string | undefined {
  return error instanceof SignInThrottled ? error.detail : undefined;
}

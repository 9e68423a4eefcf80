"use server";
// The Account page: change (or add) a password, end the other sessions. Both act on the signed-in
// user only; the services hold the rules.
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { getSessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { changePassword, MIN_PASSWORD_LENGTH } from "@/lib/services/accounts";
import { endOtherSessions } from "@/lib/services/sessions";
import { invalidForm } from "./field-errors";
import { actionFailure, type ActionResult } from "./run";

const SESSION_ENDED: ActionResult = { ok: false, error: "Your session has ended. Sign in again." };

const ChangePasswordForm = z.object({
  current: z.string().optional(),
  next: z
    .string({ error: "Choose a new password" })
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200, "Use at most 200 characters"),
});

export async function changePasswordAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return SESSION_ENDED;
  const parsed = ChangePasswordForm.safeParse({ current: form.get("current") ?? undefined, next: form.get("next") });
  if (!parsed.success) return invalidForm(parsed.error);
  try {
    await changePassword(user.id, parsed.data, user.sessionId, clientAddress(await headers()));
  } catch (error) {
    const failure = actionFailure(error, "Changing a password");
    // Ours (a wrong current password, a limit) belong next to the current-password field.
    return error instanceof AppError ? { ...failure, fieldErrors: { current: [failure.error] } } : failure;
  }
  revalidatePath("/account");
  return { ok: true, data: undefined, message: "Password saved. Every other session was signed out." };
}

export async function signOutOtherSessionsAction(_prev: ActionResult | null, _form: FormData): Promise<ActionResult> {
  const user = await getSessionUser();
  if (!user) return SESSION_ENDED;
  const ended = await endOtherSessions(user.id, user.sessionId);
  revalidatePath("/account");
  return {
    ok: true,
    data: undefined,
    message: ended === 0 ? "There were no other sessions." : `Signed out ${ended} other ${ended === 1 ? "session" : "sessions"}.`,
  };
}

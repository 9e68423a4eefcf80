"use server";
// The invitee's two explicit POSTs. Opening the link only reads; these change state, and only
// for a signed-in user whose email is the invited one (the services enforce it).
import { randomUUID } from "node:crypto";
import { redirect } from "next/navigation";
import { getSessionUser, setActiveOrgPreference } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/config";
import {
  acceptInvitation,
  acceptInvitationById,
  declineInvitation,
  declineInvitationById,
} from "@/lib/services/invitations";
import { actionFailure } from "./run";

export type InviteActionState = { ok: false; error: string } | null;

async function respond(work: (userId: string, requestId: string) => Promise<{ organizationId: string }>, then: (orgId: string) => string): Promise<InviteActionState> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
  const requestId = randomUUID();
  let destination: string;
  try {
    const result = await work(user.id, requestId);
    destination = then(result.organizationId);
    if (destination.startsWith("/settings")) await setActiveOrgPreference(result.organizationId);
  } catch (error) {
    return actionFailure(error, "Invitation response", requestId);
  }
  redirect(destination);
}

function field(form: FormData, name: string) {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function acceptInviteAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const token = field(form, "token");
  return respond((userId, requestId) => acceptInvitation({ userId, token, requestId }), () => "/settings?joined=1");
}

export async function declineInviteAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const token = field(form, "token");
  return respond((userId, requestId) => declineInvitation({ userId, token, requestId }), () => "/invitations?declined=1");
}

export async function acceptInviteByIdAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const invitationId = Number(field(form, "invitationId"));
  return respond((userId, requestId) => acceptInvitationById({ userId, invitationId, requestId }), () => "/settings?joined=1");
}

export async function declineInviteByIdAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const invitationId = Number(field(form, "invitationId"));
  return respond((userId, requestId) => declineInvitationById({ userId, invitationId, requestId }), () => "/invitations?declined=1");
}

/** "Not you?": signs out and comes back to the invitation to sign in as the invited address. */
export async function switchAccountAction(form: FormData) {
  const token = field(form, "token");
  const email = field(form, "email");
  const back = `/invite/${encodeURIComponent(token)}`;
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(back)}&email=${encodeURIComponent(email)}` });
}

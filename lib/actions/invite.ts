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
  type InvitationResponse,
} from "@/lib/services/invitations";
import { actionFailure } from "./run";

export type InviteActionState = { ok: false; error: string } | null;

/** Where an answer leads: the joined org or project (which says so), or the "you declined" page. */
function afterAnswer(answer: "accept" | "decline", result: InvitationResponse): string {
  if (answer === "decline") return `/invitations/declined/${result.invitationId}`;
  return result.projectId ? `/settings/projects/${result.projectId}?joined=1` : "/settings?joined=1";
}

async function respond(
  answer: "accept" | "decline",
  work: (userId: string, requestId: string) => Promise<InvitationResponse>,
): Promise<InviteActionState> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
  const requestId = randomUUID();
  let destination: string;
  try {
    const result = await work(user.id, requestId);
    destination = afterAnswer(answer, result);
    if (answer === "accept") await setActiveOrgPreference(result.organizationId);
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
  return respond("accept", (userId, requestId) => acceptInvitation({ userId, token, requestId }));
}

export async function declineInviteAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const token = field(form, "token");
  return respond("decline", (userId, requestId) => declineInvitation({ userId, token, requestId }));
}

export async function acceptInviteByIdAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const invitationId = Number(field(form, "invitationId"));
  return respond("accept", (userId, requestId) => acceptInvitationById({ userId, invitationId, requestId }));
}

export async function declineInviteByIdAction(_: InviteActionState, form: FormData): Promise<InviteActionState> {
  const invitationId = Number(field(form, "invitationId"));
  return respond("decline", (userId, requestId) => declineInvitationById({ userId, invitationId, requestId }));
}

/** "Not you?": signs out and comes back to the invitation to sign in as the invited address. */
export async function switchAccountAction(form: FormData) {
  const token = field(form, "token");
  const email = field(form, "email");
  const back = `/invite/${encodeURIComponent(token)}`;
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(back)}&email=${encodeURIComponent(email)}` });
}

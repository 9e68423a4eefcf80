// Invitation tokens: 32 random bytes (base64url) in the link; only their SHA-256 is stored.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInviteToken(token) };
}

export function inviteUrl(token: string): string {
  return `${env().APP_URL}/invite/${token}`;
}

export function invitationExpiry(from: Date): Date {
  return new Date(from.getTime() + env().INVITATION_TTL_DAYS * 86_400_000);
}

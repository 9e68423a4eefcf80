// The abuse limits outside the API's request rate, each a named set of counters (see
// rate-limit.ts), configured in lib/env.ts and documented in the README's Security section:
// password sign-in per account and per client address, emails sent on request per recipient and
// per client address, invitations per organization per day, API keys per organization.
import "server-only";
import { env } from "@/lib/env";
import type { Plan } from "@/lib/generated/prisma/client";
import type { Limit } from "./rate-limit";

const QUARTER_HOUR = 15 * 60;
const HOUR = 3600;
const DAY = 86_400;

/** "in 12 minutes", "in about 5 hours". */
export function inAbout(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 90) return `in ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.round(minutes / 60);
  return `in about ${hours} ${hours === 1 ? "hour" : "hours"}`;
}

/** Every password attempt counts (before the hash is even computed), right or wrong. */
export function signInLimits(email: string, client: string): Limit[] {
  const config = env();
  return [
    {
      key: `signin:account:${email}`,
      max: config.SIGNIN_ATTEMPTS_PER_ACCOUNT,
      windowSeconds: QUARTER_HOUR,
      refusal: (wait) => `Too many sign-in attempts for this account. Try again ${inAbout(wait)}, or sign in with an email link.`,
    },
    {
      key: `signin:client:${client}`,
      max: config.SIGNIN_ATTEMPTS_PER_CLIENT,
      windowSeconds: QUARTER_HOUR,
      refusal: (wait) => `Too many sign-in attempts from your network. Try again ${inAbout(wait)}.`,
    },
  ];
}

/** Emails a person can make the app send (sign-in links, verification, "you already have an account"). */
export function requestedEmailLimits(recipient: string, client: string): Limit[] {
  const config = env();
  return [
    {
      key: `mail:address:${recipient}`,
      max: config.EMAILS_PER_ADDRESS_PER_HOUR,
      windowSeconds: HOUR,
      refusal: (wait) => `Too many emails were requested for this address. Try again ${inAbout(wait)}.`,
    },
    {
      key: `mail:client:${client}`,
      max: config.EMAILS_PER_CLIENT_PER_HOUR,
      windowSeconds: HOUR,
      refusal: (wait) => `Too many emails were requested from your network. Try again ${inAbout(wait)}.`,
    },
  ];
}

/**
 * Invitation emails an organization may send per day (creates, renewals and resends alike):
 * fewer on a trial, in the spirit of GitHub's 50 per 24 hours for new organizations.
 */
export function invitationQuota(org: { id: string; plan: Plan }): Limit {
  const config = env();
  const max = org.plan === "TRIAL" || org.plan === "FREE" ? config.INVITATIONS_PER_DAY_TRIAL : config.INVITATIONS_PER_DAY;
  return {
    ...invitationQuotaWindow(org.id),
    max,
    refusal: (wait, remaining) =>
      remaining > 0
        ? `This organization can send ${remaining} more ${remaining === 1 ? "invitation" : "invitations"} today (at most ${max} a day); ` +
          `invite fewer people, or the rest ${inAbout(wait)}.`
        : `This organization has sent its ${max} invitations for today. More can be sent ${inAbout(wait)}.`,
  };
}

/** What the quota counts, known before the plan is: for reading its usage alongside other facts. */
export function invitationQuotaWindow(organizationId: string) {
  return { key: `invitations:org:${organizationId}`, windowSeconds: DAY };
}

export function apiKeysPerOrganization(): number {
  return env().API_KEYS_PER_ORG;
}

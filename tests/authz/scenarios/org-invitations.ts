// Organization settings and invitations: the calls behind /v1/organization and
// /v1/organization/invitations, with what each allowed call must have written or answered.
import { expect } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { actingUserId, type Actor } from "@/lib/services/context";
import {
  createInvitations,
  hashInviteToken,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from "@/lib/services/invitations";
import { getOrganizationOverview } from "@/lib/services/org-overview";
import { getOrganization, updateOrganization } from "@/lib/services/organization";
import { ORG_ID, PENDING_INVITEE } from "../fixture";
import { scenario } from "../matrix";

const NEW_HIRE = "new.hire@x.test";

/** Who an invitation records as its inviter: the acting user, and the key when a key acted. */
const inviter = (actor: Actor) => ({
  invitedByUserId: actingUserId(actor),
  invitedByApiKeyId: actor.type === "apiKey" ? actor.apiKeyId : null,
});

const never = () => {
  throw new Error("this call is refused for every actor");
};

export const ORGANIZATION_AND_INVITATIONS = [
  scenario({
    name: "updateOrganization [organization:manage]",
    run: (ctx) => updateOrganization(ctx, { name: "Acme Renamed" }),
    audit: "org.update",
    async effect(result) {
      expect(result.name).toBe("Acme Renamed");
      expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: ORG_ID } })).name).toBe("Acme Renamed");
    },
  }),
  scenario({
    name: "getOrganization [organization:read]",
    run: (ctx) => getOrganization(ctx),
    effect: (result) => expect(result).toMatchObject({ id: ORG_ID, name: "Acme", plan: "TEAM" }),
  }),
  scenario({
    name: "getOrganizationOverview [organization:read]",
    run: (ctx) => getOrganizationOverview(ctx),
    effect: (result, f) => expect(result).toMatchObject({ id: ORG_ID, members: f.memberCount, pendingInvitations: 1 }),
  }),
  scenario({
    name: "createInvitations as Member [user:manage]",
    run: (ctx) => createInvitations(ctx, { emails: [NEW_HIRE] }),
    audit: "org.invitations.create",
    async effect(result, _f, actor) {
      expect(result.invitations).toMatchObject([{ email: NEW_HIRE, status: "PENDING", organizationRoleId: SYSTEM_ROLES.Member }]);
      const row = await getPrisma().invitation.findFirstOrThrow({ where: { organizationId: ORG_ID, email: NEW_HIRE } });
      expect(row).toMatchObject({ status: "PENDING", roleId: SYSTEM_ROLES.Member, ...inviter(actor) });
      expect(await getPrisma().emailOutbox.count({ where: { invitationId: row.id, status: "PENDING" } })).toBe(1);
    },
  }),
  scenario({
    name: "createInvitations as Owner [user:manage]",
    run: (ctx) => createInvitations(ctx, { emails: [NEW_HIRE], organizationRoleId: SYSTEM_ROLES.Owner }),
    effect: never,
  }),
  scenario({
    name: "resendInvitation of a Member invitation [user:manage]",
    run: (ctx, f) => resendInvitation(ctx, f.invitationId),
    audit: "org.invitations.resend",
    async effect(result, f) {
      const row = await getPrisma().invitation.findUniqueOrThrow({ where: { id: f.invitationId } });
      // A new link: the old token no longer matches, the answer's does.
      expect(row.tokenHash).toBe(hashInviteToken(result.token));
      expect(Date.now() - row.lastSentAt.getTime()).toBeLessThan(60_000);
      expect(await getPrisma().emailOutbox.count({ where: { invitationId: f.invitationId, status: "PENDING" } })).toBe(1);
    },
  }),
  scenario({
    name: "revokeInvitation [user:manage]",
    run: (ctx, f) => revokeInvitation(ctx, f.invitationId),
    audit: "org.invitations.revoke",
    async effect(result, f) {
      expect(result).toEqual({ id: f.invitationId, deleted: true });
      expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id: f.invitationId } })).status).toBe("REVOKED");
    },
  }),
  scenario({
    name: "listInvitations [user:read]",
    run: (ctx) => listInvitations(ctx),
    effect: (result, f) => expect(result).toMatchObject([{ id: f.invitationId, email: PENDING_INVITEE, status: "PENDING" }]),
  }),
];

// The guarded invitation writes on their locked path (organization-lock.ts guardedWrite after
// repeated conflicts), forced here for every call: each operation, for a signed-in user (whose
// authority is read from the database, unlike a key's) and in a project, must run every query
// through the transaction it is given — on PGlite's single connection, a query outside it waits
// for the transaction and the request never ends.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import type { ServiceContext } from "@/lib/services/context";
import {
  acceptInvitation, createInvitations, declineInvitation, projectScope, resendInvitation, revokeInvitation,
} from "@/lib/services/invitations";
import { guardedWriteSettings } from "@/lib/services/organization-lock";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
let owner: ServiceContext;
beforeAll(() => void (guardedWriteSettings.optimisticAttempts = 0));
afterAll(() => void (guardedWriteSettings.optimisticAttempts = 3));
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme", seatLimit: 10 });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "locked" };
});

const verified = (email: string) => getPrisma().user.create({ data: { email, emailVerified: new Date() } });
const status = async (id: number) => (await getPrisma().invitation.findUniqueOrThrow({ where: { id } })).status;
const writeVersion = async () => (await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).writeVersion;

describe("the locked path of every guarded invitation write", () => {
  it("create, resend, revoke, accept and decline for a signed-in Owner", async () => {
    const before = await writeVersion();
    const { invitations, tokens } = await createInvitations(owner, { emails: ["a@example.com", "b@example.com", "c@example.com"] });
    expect(invitations.map((i) => i.email)).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
    // Locked: the lock bumped writeVersion, then the guard did.
    expect(await writeVersion()).toBe(before + 2);
    const [a, b, c] = invitations.map((i) => i.id) as [number, number, number];
    await getPrisma().invitation.update({ where: { id: a }, data: { lastSentAt: new Date(Date.now() - 3_600_000) } });
    const resent = await resendInvitation(owner, a);
    expect(resent.invitation.id).toBe(a);
    await revokeInvitation(owner, b);
    const ada = await verified("c@example.com");
    await acceptInvitation({ userId: ada.id, token: tokens.get(c)!, requestId: "locked" });
    const bea = await verified("a@example.com");
    await declineInvitation({ userId: bea.id, token: resent.token, requestId: "locked" });
    expect([await status(a), await status(b), await status(c)]).toEqual(["DECLINED", "REVOKED", "ACCEPTED"]);
    expect(await getPrisma().membership.count({ where: { organizationId: org.id, userId: ada.id } })).toBe(1);
  });

  it("a project invitation by a project Manager, accepted by someone new to the organization", async () => {
    const project = await getPrisma().project.create({ data: { organizationId: org.id, name: "Forecasting" } });
    const manager = await addMember(org.id, "manager@example.com");
    await getPrisma().projectMembership.create({
      data: { projectId: project.id, organizationId: org.id, userId: manager.id, roleId: PROJECT_ROLES.Manager },
    });
    const ctx: ServiceContext = { actor: { type: "user", userId: manager.id, organizationId: org.id }, requestId: "locked" };
    const { invitations, tokens } = await createInvitations(ctx, { emails: ["new@example.com"] }, projectScope(project.id));
    const newcomer = await verified("new@example.com");
    await acceptInvitation({ userId: newcomer.id, token: tokens.get(invitations[0]!.id)!, requestId: "locked" });
    expect(await getPrisma().projectMembership.count({ where: { projectId: project.id, userId: newcomer.id } })).toBe(1);
    expect(await getPrisma().membership.count({ where: { organizationId: org.id, userId: newcomer.id } })).toBe(1);
  });
});

// The organization every matrix cell starts from, rebuilt from scratch for each cell: one
// reset, then one batch of inserts. Ids are fixed so scenarios can name their targets; only the
// raw API keys (random secrets) and the key and invitation ids (sequences) differ between runs.
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { hashInviteToken } from "@/lib/services/invitations";
import { PERMISSIONS, type Permission } from "@/lib/services/permissions";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

export const ORG_ID = "org_acme";

/** The people of Acme. `departed` created a key while a member, then left (no membership). */
export const USER = {
  owner: "u_owner",
  admin: "u_admin",
  member: "u_member",
  lacking: "u_lacking",
  exact: "u_exact",
  departed: "u_departed",
  // Targets of member scenarios; never actors.
  targetMember: "u_target_member",
  targetAdmin: "u_target_admin",
  targetInviter: "u_target_inviter",
} as const;

export const ROLE = {
  /** Every permission except the one the scenario needs. */
  lacking: "00000000-0000-4000-8000-00000000a001",
  /** Exactly the one permission the scenario needs. */
  exact: "00000000-0000-4000-8000-00000000a002",
  /** Only user:manage: may invite and change roles, but holds none of the read permissions. */
  inviter: "00000000-0000-4000-8000-00000000a003",
  /** Read only + metric:manage: nothing to do with members, so anyone with the rest may give it. */
  analyst: "00000000-0000-4000-8000-00000000a004",
  /** Read only, held by nobody and offered by no invitation: free to edit or delete. */
  support: "00000000-0000-4000-8000-00000000a005",
} as const;

export const POLICY = {
  lacking: "00000000-0000-4000-8000-00000000b001",
  exact: "00000000-0000-4000-8000-00000000b002",
  inviter: "00000000-0000-4000-8000-00000000b003",
  metrics: "00000000-0000-4000-8000-00000000b004",
  /** {user:read}, attached to no role: free to edit or delete. */
  peopleViewer: "00000000-0000-4000-8000-00000000b005",
} as const;

export const PENDING_INVITEE = "invitee@elsewhere.test";

/** Whose key: the five actors with a membership, the departed one, and the operator (no creator). */
export type KeyHolder = "owner" | "admin" | "member" | "lacking" | "exact" | "departed" | "operator";

export interface Fixture {
  /** The permission the scenario needs: what "Lacking" lacks and "Exact" holds. */
  permission: Permission;
  /** Raw key and id of each holder's key. */
  keys: Record<KeyHolder, { raw: string; id: number }>;
  /** A key made by the Owner for CI: the target of key scenarios. */
  ciKey: { raw: string; id: number };
  /** A pending invitation (Member role, sent two hours ago, so out of the resend cooldown). */
  invitationId: number;
  /** How many members Acme has, for the read scenarios. */
  memberCount: number;
  permissionIds: Map<string, string>;
}

let permissionIds: Map<string, string> | undefined;

/**
 * The organization catalogue's ids (random per migrated database, never changed by a reset).
 * Project permissions reuse some names (user:manage…), so the scope matters.
 */
async function catalogue() {
  if (!permissionIds) {
    const rows = await getPrisma().permission.findMany({ where: { scope: "ORGANIZATION" }, select: { id: true, name: true } });
    permissionIds = new Map(rows.map((r) => [r.name, r.id]));
  }
  return permissionIds;
}

const email = (userId: string) => `${userId.slice(2).replace(/_/g, "-")}@acme.test`;

export async function buildFixture(permission: Permission): Promise<Fixture> {
  await resetDatabase(testDatabase().db);
  const ids = await catalogue();
  const p = getPrisma();
  const now = Date.now();

  const grants = (policyId: string, names: readonly string[]) =>
    names.map((name) => ({ policyId, permissionId: ids.get(name)! }));
  const holders: KeyHolder[] = ["owner", "admin", "member", "lacking", "exact", "departed", "operator"];
  const raw = [...holders, "ci"].map(() => generateApiKey());
  const memberships = [
    [USER.owner, SYSTEM_ROLES.Owner],
    [USER.admin, SYSTEM_ROLES.Admin],
    [USER.member, SYSTEM_ROLES.Member],
    [USER.lacking, ROLE.lacking],
    [USER.exact, ROLE.exact],
    [USER.targetMember, SYSTEM_ROLES.Member],
    [USER.targetAdmin, SYSTEM_ROLES.Admin],
    [USER.targetInviter, ROLE.inviter],
  ] as const;

  const [, , , , , , , keys, invitation] = await p.$transaction([
    p.organization.create({ data: { id: ORG_ID, name: "Acme", plan: "TEAM" } }),
    p.user.createMany({
      data: Object.values(USER).map((id) => ({ id, email: email(id), name: id.slice(2), emailVerified: new Date(now) })),
    }),
    p.policy.createMany({
      data: [
        { id: POLICY.lacking, organizationId: ORG_ID, name: `All but ${permission}` },
        { id: POLICY.exact, organizationId: ORG_ID, name: `Only ${permission}` },
        { id: POLICY.inviter, organizationId: ORG_ID, name: "Invite" },
        { id: POLICY.metrics, organizationId: ORG_ID, name: "Metrics" },
        { id: POLICY.peopleViewer, organizationId: ORG_ID, name: "People viewer" },
      ],
    }),
    p.policyPermission.createMany({
      data: [
        ...grants(POLICY.lacking, PERMISSIONS.filter((name) => name !== permission)),
        ...grants(POLICY.exact, [permission]),
        ...grants(POLICY.inviter, ["user:manage"]),
        ...grants(POLICY.metrics, ["metric:manage"]),
        ...grants(POLICY.peopleViewer, ["user:read"]),
      ],
    }),
    p.role.createMany({
      data: [
        { id: ROLE.lacking, organizationId: ORG_ID, name: "Lacking" },
        { id: ROLE.exact, organizationId: ORG_ID, name: "Exact" },
        { id: ROLE.inviter, organizationId: ORG_ID, name: "Inviter" },
        { id: ROLE.analyst, organizationId: ORG_ID, name: "Analyst" },
        { id: ROLE.support, organizationId: ORG_ID, name: "Support" },
      ],
    }),
    p.rolePolicy.createMany({
      data: [
        { roleId: ROLE.lacking, policyId: POLICY.lacking },
        { roleId: ROLE.exact, policyId: POLICY.exact },
        { roleId: ROLE.inviter, policyId: POLICY.inviter },
        { roleId: ROLE.analyst, policyId: SYSTEM_POLICIES.ReadOnly },
        { roleId: ROLE.analyst, policyId: POLICY.metrics },
        { roleId: ROLE.support, policyId: SYSTEM_POLICIES.ReadOnly },
      ],
    }),
    p.membership.createMany({
      data: memberships.map(([userId, roleId], i) => ({
        organizationId: ORG_ID,
        userId,
        roleId,
        joinedAt: new Date(now - 60_000 * (memberships.length - i)),
      })),
    }),
    p.apiKey.createManyAndReturn({
      data: raw.map((key, i) => {
        const holder = holders[i];
        const creator = holder === undefined ? USER.owner : holder === "operator" ? null : USER[holder];
        return { organizationId: ORG_ID, name: holder ?? "ci", keyHash: hashApiKey(key), last6: lastSix(key), createdByUserId: creator };
      }),
      select: { id: true, name: true },
    }),
    p.invitation.create({
      data: {
        organizationId: ORG_ID,
        email: PENDING_INVITEE,
        roleId: SYSTEM_ROLES.Member,
        tokenHash: hashInviteToken(`fixture-token-${now}`),
        expiresAt: new Date(now + 5 * 86_400_000),
        lastSentAt: new Date(now - 7_200_000),
        createdAt: new Date(now - 7_200_000),
        invitedByUserId: USER.owner,
      },
    }),
    // Something for the audit log's readers to read.
    p.auditEvent.create({
      data: { organizationId: ORG_ID, actorType: "user", actorId: USER.owner, action: "org.update", targetType: "organization", targetId: ORG_ID },
    }),
  ]);

  const keyOf = (name: string, i: number) => ({ raw: raw[i]!, id: keys.find((k) => k.name === name)!.id });
  return {
    permission,
    keys: Object.fromEntries(holders.map((h, i) => [h, keyOf(h, i)])) as Fixture["keys"],
    ciKey: keyOf("ci", holders.length),
    invitationId: invitation.id,
    memberCount: memberships.length,
    permissionIds: ids,
  };
}

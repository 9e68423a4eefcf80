// The organization and project every project IAM authorization test starts from, rebuilt from
// scratch for each allowed call: one reset, then one batch of inserts. Ids are fixed so
// scenarios can name their targets; only the raw API keys (random secrets) differ between runs.
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { PROJECT_PERMISSIONS, type ProjectPermission } from "@/lib/services/permissions";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

export const ORG_ID = "org_projects";
export const PROJECT_ID = "proj_evals";

/**
 * Acme's people in project Evals. Outsider is an org Member outside the project (it cannot see
 * it); OrgAdmin an org Admin outside the project (org project:manage: it acts as its Owner).
 */
export const USER = {
  Owner: "u_project_owner",
  Manager: "u_manager",
  Member: "u_member",
  Reader: "u_reader",
  Inviter: "u_inviter",
  IamAdmin: "u_iam_admin",
  Lacking: "u_lacking",
  Exact: "u_exact",
  Outsider: "u_outsider",
  OrgAdmin: "u_org_admin",
} as const;

/** Targets of member scenarios; never actors. */
export const TARGET = { member: "u_t_member", manager: "u_t_manager", reader: "u_t_reader" } as const;

export const ROLE = {
  /** dataset:read only. */
  reader: "00000000-0000-4000-8000-00000000c001",
  /** user:read, user:manage, user:delete and dataset:read: manages people as weak as a Reader. */
  inviter: "00000000-0000-4000-8000-00000000c002",
  /** iam:read and iam:manage only. */
  iamAdmin: "00000000-0000-4000-8000-00000000c003",
  /** Every project permission except the one the scenario needs. */
  lacking: "00000000-0000-4000-8000-00000000c004",
  /** Exactly the one permission the scenario needs. */
  exact: "00000000-0000-4000-8000-00000000c005",
  /** No policies, held by nobody: free to delete. */
  spare: "00000000-0000-4000-8000-00000000c006",
} as const;

export const POLICY = {
  datasets: "00000000-0000-4000-8000-00000000d001",
  inviter: "00000000-0000-4000-8000-00000000d002",
  iamAdmin: "00000000-0000-4000-8000-00000000d003",
  lacking: "00000000-0000-4000-8000-00000000d004",
  exact: "00000000-0000-4000-8000-00000000d005",
  /** No permissions, attached to no role: free to delete. */
  spare: "00000000-0000-4000-8000-00000000d006",
} as const;

export type UserName = keyof typeof USER;

export interface ProjectFixture {
  /** Raw key made by each user, and an operator key (no creator). */
  keys: Record<UserName | "operator", string>;
  permissionIds: Map<string, string>;
}

let catalogue: Map<string, string> | undefined;

export async function buildProjectFixture(permission: ProjectPermission): Promise<ProjectFixture> {
  await resetDatabase(testDatabase().db);
  const p = getPrisma();
  catalogue ??= new Map(
    (await p.permission.findMany({ where: { scope: "PROJECT" }, select: { id: true, name: true } })).map((r) => [
      r.name,
      r.id,
    ]),
  );
  const ids = catalogue;
  const grants = (policyId: string, names: readonly string[]) =>
    names.map((name) => ({ policyId, permissionId: ids.get(name)! }));
  const projectRoleOf: Record<string, string> = {
    [USER.Owner]: PROJECT_ROLES.Owner,
    [USER.Manager]: PROJECT_ROLES.Manager,
    [USER.Member]: PROJECT_ROLES.Member,
    [USER.Reader]: ROLE.reader,
    [USER.Inviter]: ROLE.inviter,
    [USER.IamAdmin]: ROLE.iamAdmin,
    [USER.Lacking]: ROLE.lacking,
    [USER.Exact]: ROLE.exact,
    [TARGET.member]: PROJECT_ROLES.Member,
    [TARGET.manager]: PROJECT_ROLES.Manager,
    [TARGET.reader]: ROLE.reader,
  };
  const people = [...Object.values(USER), ...Object.values(TARGET)];
  const holders = [...(Object.keys(USER) as UserName[]), "operator" as const];
  const raw = holders.map(() => generateApiKey());
  const policy = (id: string, name: string) => ({ id, scope: "PROJECT" as const, projectId: PROJECT_ID, name });
  const role = (id: string, name: string) => ({ id, scope: "PROJECT" as const, projectId: PROJECT_ID, name });

  await p.$transaction([
    p.organization.create({ data: { id: ORG_ID, name: "Acme", plan: "TEAM" } }),
    p.project.create({ data: { id: PROJECT_ID, organizationId: ORG_ID, name: "Evals" } }),
    p.user.createMany({
      data: people.map((id) => ({
        id,
        email: `${id.slice(2)}@acme.test`,
        name: id.slice(2),
        emailVerified: new Date(),
      })),
    }),
    p.membership.createMany({
      data: people.map((userId) => ({
        organizationId: ORG_ID,
        userId,
        roleId: userId === USER.OrgAdmin ? SYSTEM_ROLES.Admin : SYSTEM_ROLES.Member,
      })),
    }),
    p.policy.createMany({
      data: [
        policy(POLICY.datasets, "Datasets"),
        policy(POLICY.inviter, "People"),
        policy(POLICY.iamAdmin, "IAM"),
        policy(POLICY.lacking, `All but ${permission}`),
        policy(POLICY.exact, `Only ${permission}`),
        policy(POLICY.spare, "Spare"),
      ],
    }),
    p.policyPermission.createMany({
      data: [
        ...grants(POLICY.datasets, ["dataset:read"]),
        ...grants(POLICY.inviter, ["user:read", "user:manage", "user:delete", "dataset:read"]),
        ...grants(POLICY.iamAdmin, ["iam:read", "iam:manage"]),
        ...grants(
          POLICY.lacking,
          PROJECT_PERMISSIONS.filter((name) => name !== permission),
        ),
        ...grants(POLICY.exact, [permission]),
      ],
    }),
    p.role.createMany({
      data: [
        role(ROLE.reader, "Reader"),
        role(ROLE.inviter, "Inviter"),
        role(ROLE.iamAdmin, "IAM admin"),
        role(ROLE.lacking, "Lacking"),
        role(ROLE.exact, "Exact"),
        role(ROLE.spare, "Spare"),
      ],
    }),
    p.rolePolicy.createMany({
      data: [
        { roleId: ROLE.reader, policyId: POLICY.datasets },
        { roleId: ROLE.inviter, policyId: POLICY.inviter },
        { roleId: ROLE.iamAdmin, policyId: POLICY.iamAdmin },
        { roleId: ROLE.lacking, policyId: POLICY.lacking },
        { roleId: ROLE.exact, policyId: POLICY.exact },
      ],
    }),
    p.projectMembership.createMany({
      data: Object.entries(projectRoleOf).map(([userId, roleId], i) => ({
        projectId: PROJECT_ID,
        organizationId: ORG_ID,
        userId,
        roleId,
        joinedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    }),
    p.apiKey.createMany({
      data: raw.map((key, i) => {
        const holder = holders[i]!;
        const createdByUserId = holder === "operator" ? null : USER[holder];
        return { organizationId: ORG_ID, name: holder, keyHash: hashApiKey(key), last6: lastSix(key), createdByUserId };
      }),
    }),
  ]);
  return {
    keys: Object.fromEntries(holders.map((h, i) => [h, raw[i]!])) as ProjectFixture["keys"],
    permissionIds: ids,
  };
}

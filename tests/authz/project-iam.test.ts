// Authorization of the project member, role, policy and permission services (contract §6 and the
// §5 key and ceiling rules, at project scope): every check has a refusal here that only that
// check makes, so `npm run check:authz` sees a failure when any of them is disabled. Each actor
// is tried as a signed-in user and through a key it made; refusals must write nothing.
//
// Actors in project Evals (project-iam-fixture.ts): Owner, Manager, Member (system project
// roles); Reader (dataset:read); Inviter (user:read/manage/delete + dataset:read); IamAdmin
// (iam:read/manage); Lacking / Exact (all project permissions but / only the one the call needs);
// Outsider (org Member, not in the project: 404); OrgAdmin (org Admin, not in the project: acts as
// the project's Owner); operator (a key with no creator: the org Owner, so also the project's).
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES } from "@/lib/db/system-roles";
import { AppError } from "@/lib/errors";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { actorId, type ServiceContext } from "@/lib/services/context";
import { listPermissions, projectScope } from "@/lib/services/iam";
import type { ProjectPermission } from "@/lib/services/permissions";
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from "@/lib/services/policies";
import { listProjectMembers, removeProjectMember, updateProjectMemberRole } from "@/lib/services/projects/members";
import { createRole, deleteRole, listRoles, updateRole } from "@/lib/services/roles";
import { snapshotAll } from "../integration/project-iam-fixtures";
import { buildProjectFixture, ORG_ID, POLICY, PROJECT_ID, ROLE, TARGET, USER, type ProjectFixture, type UserName } from "./project-iam-fixture";

type Actor = UserName | "operator" | `key:${UserName}`;
type Refusal = 403 | 404 | 409;

interface Scenario {
  name: string;
  permission: ProjectPermission;
  run(ctx: ServiceContext, f: ProjectFixture): Promise<unknown>;
  /** Each user named here is also tried through its key, with the same outcome. */
  refused: Partial<Record<UserName | "operator", Refusal>>;
  ok: Actor[];
  /** For an allowed write: its audit action, and a check of what it changed. */
  audit?: string;
  effect(result: any, f: ProjectFixture): Promise<void> | void;
}

const scope = projectScope(PROJECT_ID);
const pm = (userId: string) =>
  getPrisma().projectMembership.findUnique({ where: { projectId_userId: { projectId: PROJECT_ID, userId } } });
const perms = async (policyId: string) => getPrisma().policyPermission.count({ where: { policyId } });

// Outsider can never see the project; Lacking never holds what the call needs.
const ALWAYS = { Outsider: 404, Lacking: 403 } as const;

const SCENARIOS: Scenario[] = [
  // --- members ---------------------------------------------------------------------------------
  { name: "list members", permission: "user:read", run: (c) => listProjectMembers(c, PROJECT_ID, { page: 1, pageSize: 25 }),
    refused: { Reader: 403, IamAdmin: 403 }, ok: ["Member", "Exact", "key:OrgAdmin", "operator"],
    effect: (r) => expect(r.total).toBe(11) },
  // P only: Member holds everything of the Member and Reader roles.
  { name: "change a Member to Reader", permission: "user:manage", run: (c) => updateProjectMemberRole(c, PROJECT_ID, TARGET.member, { roleId: ROLE.reader }),
    refused: { Member: 403, Reader: 403, Inviter: 403, Exact: 403 }, ok: ["Manager", "key:Owner", "OrgAdmin"],
    audit: "project.members.role.update", effect: async () => expect((await pm(TARGET.member))!.roleId).toBe(ROLE.reader) },
  // G only: Inviter may act on a Reader but cannot give Member.
  { name: "change a Reader to Member", permission: "user:manage", run: (c) => updateProjectMemberRole(c, PROJECT_ID, TARGET.reader, { roleId: PROJECT_ROLES.Member }),
    refused: { Inviter: 403, Member: 403 }, ok: ["Manager"],
    audit: "project.members.role.update", effect: async () => expect((await pm(TARGET.reader))!.roleId).toBe(PROJECT_ROLES.Member) },
  // A only: Inviter could give Reader, but not take Manager away.
  { name: "change a Manager to Reader", permission: "user:manage", run: (c) => updateProjectMemberRole(c, PROJECT_ID, TARGET.manager, { roleId: ROLE.reader }),
    refused: { Inviter: 403, Exact: 403 }, ok: ["Owner"],
    audit: "project.members.role.update", effect: async () => expect((await pm(TARGET.manager))!.roleId).toBe(ROLE.reader) },
  // O only: a Manager holds everything, but only the Owner (or an org project:manage holder) hands over ownership.
  { name: "transfer project ownership", permission: "user:manage", run: (c) => updateProjectMemberRole(c, PROJECT_ID, TARGET.member, { roleId: PROJECT_ROLES.Owner }),
    refused: { Manager: 403, Member: 403, Inviter: 403 }, ok: ["Owner", "key:OrgAdmin", "operator"],
    audit: "project.members.role.update",
    async effect() {
      expect([(await pm(TARGET.member))!.roleId, (await pm(USER.Owner))!.roleId]).toEqual([PROJECT_ROLES.Owner, PROJECT_ROLES.Manager]);
    } },
  // O: the Owner's own role, for whoever may change roles at all.
  { name: "change the project Owner's role", permission: "user:manage", run: (c) => updateProjectMemberRole(c, PROJECT_ID, USER.Owner, { roleId: PROJECT_ROLES.Member }),
    refused: { Manager: 409, OrgAdmin: 409, operator: 409, Inviter: 409, Exact: 409, Member: 403 }, ok: [], effect() {} },
  { name: "remove a Reader", permission: "user:delete", run: (c) => removeProjectMember(c, PROJECT_ID, TARGET.reader),
    refused: { Member: 403, Exact: 403, IamAdmin: 403 }, ok: ["Inviter", "key:Manager"],
    audit: "project.members.remove", effect: async () => expect(await pm(TARGET.reader)).toBeNull() },
  { name: "remove a Manager", permission: "user:delete", run: (c) => removeProjectMember(c, PROJECT_ID, TARGET.manager),
    refused: { Inviter: 403 }, ok: ["Owner"], audit: "project.members.remove", effect: async () => expect(await pm(TARGET.manager)).toBeNull() },
  { name: "remove the project Owner", permission: "user:delete", run: (c) => removeProjectMember(c, PROJECT_ID, USER.Owner),
    refused: { Manager: 403, OrgAdmin: 403, operator: 403, Inviter: 403, Member: 403 }, ok: [], effect() {} },
  // --- reads of roles, policies, the catalogue ---------------------------------------------------
  { name: "list roles", permission: "iam:read", run: (c) => listRoles(c, scope), refused: { Reader: 403, Inviter: 403 }, ok: ["Member", "Exact", "key:IamAdmin"],
    effect: (r) => expect(r.map((x: any) => x.name).slice(0, 3)).toEqual(["Owner", "Manager", "Member"]) },
  { name: "list policies", permission: "iam:read", run: (c) => listPolicies(c, scope), refused: { Reader: 403, Inviter: 403 }, ok: ["Member", "key:Exact"],
    effect: (r) => expect(r[0].id).toBe(PROJECT_POLICIES.FullAccess) },
  { name: "list permissions", permission: "iam:read", run: (c) => listPermissions(c, scope), refused: { Reader: 403, Inviter: 403 }, ok: ["Member", "key:Exact"],
    effect: (r) => expect(r).toHaveLength(59) },
  // --- role and policy writes ---------------------------------------------------------------------
  // P only: a role with no policies grants nothing.
  { name: "create an empty role", permission: "iam:manage", run: (c) => createRole(c, { name: "Empty", policyIds: [] }, scope),
    refused: { Member: 403, Reader: 403, Inviter: 403 }, ok: ["IamAdmin", "Exact", "key:OrgAdmin"],
    audit: "project.roles.create", effect: (r) => expect(r).toMatchObject({ name: "Empty", projectId: PROJECT_ID }) },
  // G only.
  { name: "create a role with Project contributor", permission: "iam:manage", run: (c) => createRole(c, { name: "Helper", policyIds: [PROJECT_POLICIES.Contributor] }, scope),
    refused: { IamAdmin: 403, Exact: 403, Member: 403 }, ok: ["Manager"],
    audit: "project.roles.create", effect: (r) => expect(r.policies).toEqual([{ id: PROJECT_POLICIES.Contributor, name: "Project contributor" }]) },
  // A only: emptying Reader takes away dataset:read, which IamAdmin does not hold.
  { name: "empty the Reader role", permission: "iam:manage", run: (c) => updateRole(c, ROLE.reader, { name: "Reader", policyIds: [] }, scope),
    refused: { IamAdmin: 403, Exact: 403 }, ok: ["Manager"],
    audit: "project.roles.update", effect: async () => expect(await getPrisma().rolePolicy.count({ where: { roleId: ROLE.reader } })).toBe(0) },
  { name: "delete the spare role", permission: "iam:manage", run: (c) => deleteRole(c, ROLE.spare, scope),
    refused: { Member: 403, Reader: 403 }, ok: ["IamAdmin", "Exact"],
    audit: "project.roles.delete", effect: async () => expect(await getPrisma().role.count({ where: { id: ROLE.spare } })).toBe(0) },
  // G only (for IamAdmin): a policy granting dataset:manage.
  { name: "create a policy with dataset:manage", permission: "iam:manage",
    run: (c, f) => createPolicy(c, { name: "Curate", permissionIds: [f.permissionIds.get("dataset:manage")!] }, scope),
    refused: { IamAdmin: 403, Exact: 403, Member: 403 }, ok: ["Manager"],
    audit: "project.policies.create", effect: (r) => expect(r.permissions.map((p: any) => p.name)).toEqual(["dataset:manage"]) },
  // A only: Datasets holds dataset:read now.
  { name: "empty the Datasets policy", permission: "iam:manage", run: (c) => updatePolicy(c, POLICY.datasets, { name: "Datasets", permissionIds: [] }, scope),
    refused: { IamAdmin: 403, Exact: 403 }, ok: ["Manager"],
    audit: "project.policies.update", effect: async () => expect(await perms(POLICY.datasets)).toBe(0) },
  { name: "delete the spare policy", permission: "iam:manage", run: (c) => deletePolicy(c, POLICY.spare, scope),
    refused: { Member: 403, Inviter: 403 }, ok: ["IamAdmin", "key:Exact"],
    audit: "project.policies.delete", effect: async () => expect(await getPrisma().policy.count({ where: { id: POLICY.spare } })).toBe(0) },
];

async function contextOf(actor: Actor, f: ProjectFixture): Promise<ServiceContext> {
  const requestId = `authz-${actor}`;
  if (actor === "operator" || actor.startsWith("key:")) {
    const holder = actor === "operator" ? "operator" : (actor.slice(4) as UserName);
    const auth = await authenticateApiKey(f.keys[holder], { perKey: 1e6, perOrganization: 1e6 });
    await settleBackgroundWrites();
    expect(auth, `${actor} authenticates`).not.toBeNull();
    return { actor: auth!.actor, requestId };
  }
  return { actor: { type: "user", userId: USER[actor as UserName], organizationId: ORG_ID }, requestId };
}

describe.each(SCENARIOS)("$name [$permission]", (s) => {
  const refused = Object.entries({ ...ALWAYS, ...s.refused }).flatMap(([name, status]) =>
    name === "operator" ? [[name, status]] : [[name, status], [`key:${name}`, status]],
  ) as [Actor, Refusal][];

  it(`refuses ${refused.map(([a, st]) => `${a} ${st}`).join(", ")} and writes nothing`, async () => {
    const f = await buildProjectFixture(s.permission);
    for (const [actor, status] of refused) {
      const ctx = await contextOf(actor, f);
      const before = await snapshotAll();
      const error = await s.run(ctx, f).then(
        (result) => new Error(`${actor}: expected ${status}, the call was allowed: ${JSON.stringify(result).slice(0, 200)}`),
        (e: unknown) => e,
      );
      expect(error, String(error)).toBeInstanceOf(AppError);
      expect([actor, (error as AppError).status, (error as AppError).message]).toEqual([actor, status, expect.any(String)]);
      expect(await snapshotAll(), `${actor}: a refused call writes nothing`).toEqual(before);
    }
  });

  if (s.ok.length > 0) it.each(s.ok)("allows %s", async (actor) => {
    const f = await buildProjectFixture(s.permission);
    const ctx = await contextOf(actor, f);
    await s.effect(await s.run(ctx, f), f);
    if (s.audit) {
      const where = { organizationId: ORG_ID, projectId: PROJECT_ID, action: s.audit, actorId: actorId(ctx.actor), requestId: ctx.requestId };
      expect(await getPrisma().auditEvent.count({ where }), `a ${s.audit} event by ${actor}`).toBeGreaterThan(0);
    }
  });
});

// The settings server actions for projects and governance, in process against the test database:
// create (with an Owner; the default key's full value in this answer only), rename, delete (from
// the list and from the project's own page), the project scope of the shared invitation, API key,
// member and role actions, and governance policies. Only the session edge is mocked: getWorkspace
// answers the real workspace of a chosen user. Refusals are the services' own words.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getWorkspace } from "@/lib/auth/session";
import { createApiKeyAction, deleteApiKeyAction, setApiKeyValidAction } from "@/lib/actions/api-keys";
import {
  assignProjectsAction,
  createGovernancePolicyAction,
  deleteGovernancePolicyAction,
  unassignProjectsAction,
  updateGovernancePolicyAction,
} from "@/lib/actions/governance";
import { inviteMembersAction, revokeInvitationAction } from "@/lib/actions/invitations";
import { changeProjectMemberRoleAction, removeProjectMemberAction } from "@/lib/actions/project-members";
import { createProjectAction, deleteProjectAction, updateProjectAction } from "@/lib/actions/projects";
import { createRoleAction } from "@/lib/actions/roles";
import type { ActionResult } from "@/lib/actions/run";
import { hashApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { listApiKeys, projectKeys } from "@/lib/services/api-keys";
import { listAuditEvents } from "@/lib/services/audit-log";
import type { ServiceContext } from "@/lib/services/context";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

vi.mock("@/lib/auth/session", () => ({ getWorkspace: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const refused = (permission: string, where = "role") => ({
  ok: false,
  error: `Your ${where} does not allow this action (it needs the ${permission} permission)`,
});

let org: TestOrg;
let owner: ServiceContext;
const p = () => getPrisma();

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "req-test" };
  await signInAs(org.ownerId);
});

async function signInAs(userId: string) {
  const user = await p().user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerified: true } });
  const { active, organizations } = await resolveActiveOrganization(userId, org.id);
  vi.mocked(getWorkspace).mockResolvedValue({ user: { ...user, hasPassword: false, sessionId: "" }, active, organizations });
}

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(key, one);
  return data;
}

function ok<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.data;
}

async function newProject(name: string, fields: Record<string, string> = {}) {
  return ok(await createProjectAction(null, form({ name, description: "", email: "", ...fields })));
}

/** Every row a project's deletion could touch, for before/after comparisons. */
async function counts(projectId: string) {
  const where = { projectId };
  return {
    projects: await p().project.count({ where: { id: projectId } }),
    keys: await p().apiKey.count({ where }),
    memberships: await p().projectMembership.count({ where }),
    invitations: await p().invitation.count({ where }),
    roles: await p().role.count({ where }),
    policies: await p().policy.count({ where }),
    audit: await p().auditEvent.count({ where }),
  };
}

describe("createProjectAction", () => {
  it("creates the project with the picked Owner and answers the default key's full value once", async () => {
    const ada = await addMember(org.id, "ada@example.com");

    const { project, apiKey } = await newProject("  Support bot ", { description: "Answers tickets", email: "ADA@example.com" });

    expect(project).toMatchObject({ name: "Support bot", description: "Answers tickets", organizationId: org.id, governancePolicy: null });
    expect(apiKey).toMatchObject({ name: "Default Key", valid: true, createdBy: { id: org.ownerId } });
    expect(apiKey.value).toMatch(/^confident_proj_[0-9a-f]{32,}$/);
    const memberships = await p().projectMembership.findMany({ where: { projectId: project.id } });
    expect(memberships.map((m) => [m.userId, m.roleId])).toEqual([[ada.id, PROJECT_ROLES.Owner]]);
    // Only the hash is stored, and no later read shows the value again.
    const stored = await p().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored).toMatchObject({ projectId: project.id, keyHash: hashApiKey(apiKey.value) });
    expect(JSON.stringify(stored)).not.toContain(apiKey.value);
    const [listed] = await listApiKeys(owner, projectKeys(project.id));
    expect(listed!.value).toBe(`${"*".repeat(15)}${apiKey.value.slice(-6)}`);
  });

  it("starts without members when no Owner is picked", async () => {
    const { project } = await newProject("Empty");
    expect(await p().projectMembership.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("answers the form's mistakes and the service's refusals in words, writing nothing", async () => {
    await newProject("Taken");
    const before = await p().project.count();
    expect(await createProjectAction(null, form({ name: "   " }))).toMatchObject({ ok: false, fieldErrors: { name: ["Enter a name."] } });
    expect(await createProjectAction(null, form({ name: "Ok", email: "not-an-email" }))).toMatchObject({ ok: false, fieldErrors: { email: [expect.any(String)] } });
    expect(await createProjectAction(null, form({ name: "taken" }))).toEqual({
      ok: false,
      error: 'A project named "Taken" already exists in this organization',
    });
    expect(await createProjectAction(null, form({ name: "Ok", email: "stranger@example.com" }))).toEqual({
      ok: false,
      error: "email stranger@example.com is not a member of this organization",
    });
    // An org Member may not create projects: the refusal is the service's (the one gate).
    const member = await addMember(org.id, "member@example.com");
    await signInAs(member.id);
    expect(await createProjectAction(null, form({ name: "Mine" }))).toEqual(refused("project:create"));
    expect(await p().project.count()).toBe(before);
  });
});

describe("updateProjectAction and deleteProjectAction", () => {
  it("renames a project and clears its description", async () => {
    const { project } = await newProject("Old", { description: "Something" });
    const saved = ok(await updateProjectAction(null, form({ projectId: project.id, name: "New", description: "" })));
    expect(saved).toMatchObject({ id: project.id, name: "New", description: null });
  });

  it("deletes the project with its keys, memberships, invitations, roles and policies; its audit events stay", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    const { project } = await newProject("Doomed", { email: ada.email });
    ok(await inviteMembersAction(null, form({ emails: "new@example.com", projectId: project.id, projectRoleId: "" })));
    const role = ok(await createRoleAction(null, form({ name: "Reviewer", projectId: project.id, policyIds: PROJECT_POLICIES.Contributor })));
    expect(role).toMatchObject({ name: "Reviewer", projectId: project.id });
    expect(await counts(project.id)).toMatchObject({ projects: 1, keys: 1, memberships: 1, invitations: 1, roles: 1 });
    const audit = (await counts(project.id)).audit;

    expect(await deleteProjectAction(null, form({ projectId: project.id }))).toEqual({ ok: true, data: { id: project.id, deleted: true } });

    expect(await counts(project.id)).toEqual({ projects: 0, keys: 0, memberships: 0, invitations: 0, roles: 0, policies: 0, audit: audit + 1 });
    // The person stays in the organization.
    expect(await p().membership.count({ where: { userId: ada.id } })).toBe(1);
    expect(await deleteProjectAction(null, form({ projectId: project.id }))).toEqual({ ok: false, error: `Project ${project.id} not found` });
  });

  it("from the project's own page, goes to the list once the project is gone", async () => {
    const { project } = await newProject("Doomed");
    await expect(deleteProjectAction(null, form({ projectId: project.id, then: "list" }))).rejects.toMatchObject({
      digest: expect.stringContaining("/settings/projects?deleted=1"),
    });
    expect(await p().project.count({ where: { id: project.id } })).toBe(0);
  });

  it("refuses a project Member's delete with the service's words", async () => {
    const grace = await addMember(org.id, "grace@example.com");
    const { project } = await newProject("Kept");
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: grace.id, roleId: PROJECT_ROLES.Member } });
    await signInAs(grace.id);
    expect(await deleteProjectAction(null, form({ projectId: project.id, then: "list" }))).toEqual(refused("project:delete", "project role"));
    // A project they are not in does not exist for them.
    await signInAs(org.ownerId);
    const { project: other } = await newProject("Other");
    await signInAs(grace.id);
    expect(await deleteProjectAction(null, form({ projectId: other.id }))).toEqual({ ok: false, error: `Project ${other.id} not found` });
    expect(await p().project.count()).toBe(2);
  });
});

describe("a project's invitations through the shared invite form", () => {
  it("invites members and outsiders with a project role, answering each address; resend and revoke are scoped", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    const { project } = await newProject("Bot", { email: ada.email });
    const { project: other } = await newProject("Other");

    const result = ok(
      await inviteMembersAction(null, form({ emails: "ada@example.com, outsider@example.com\nnope@", projectId: project.id, projectRoleId: PROJECT_ROLES.Manager })),
    );

    expect(result.rows.map(({ email, outcome }) => [email, outcome])).toEqual([
      ["ada@example.com", "ALREADY_MEMBER"],
      ["outsider@example.com", "INVITED"],
      ["nope@", "INVALID"],
    ]);
    expect(result.rows[1]!.link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    const rows = await p().invitation.findMany({ where: { organizationId: org.id } });
    expect(rows.map((r) => [r.email, r.projectId, r.roleId, r.status])).toEqual([["outsider@example.com", project.id, PROJECT_ROLES.Manager, "PENDING"]]);
    // The project Owner role is never given by invitation; an org role id is not a project role.
    expect(await inviteMembersAction(null, form({ emails: "x@example.com", projectId: project.id, projectRoleId: PROJECT_ROLES.Owner }))).toMatchObject({ ok: false });
    expect(await inviteMembersAction(null, form({ emails: "x@example.com", projectId: project.id, projectRoleId: SYSTEM_ROLES.Admin }))).toMatchObject({ ok: false });

    // Another project's id does not reach this invitation; its own does.
    const id = String(rows[0]!.id);
    expect(await revokeInvitationAction(null, form({ invitationId: id, projectId: other.id }))).toEqual({ ok: false, error: `Invitation ${id} not found` });
    expect(await revokeInvitationAction(null, form({ invitationId: id }))).toEqual({ ok: false, error: `Invitation ${id} not found` });
    expect(ok(await revokeInvitationAction(null, form({ invitationId: id, projectId: project.id })))).toEqual({ id: Number(id), deleted: true });
  });

  it("refuses a project Member's invitation with the service's words, writing nothing", async () => {
    const grace = await addMember(org.id, "grace@example.com");
    const { project } = await newProject("Bot", { email: grace.email });
    await p().projectMembership.update({ where: { projectId_userId: { projectId: project.id, userId: grace.id } }, data: { roleId: PROJECT_ROLES.Member } });
    await signInAs(grace.id);
    expect(await inviteMembersAction(null, form({ emails: "friend@example.com", projectId: project.id, projectRoleId: "" }))).toEqual(
      refused("user:manage", "project role"),
    );
    expect(await p().invitation.count()).toBe(0);
  });
});

describe("a project's API keys, members and roles through the shared actions", () => {
  it("creates a project key shown once, deactivates, reactivates and deletes it; org key ids are not found", async () => {
    const { project } = await newProject("Bot");
    const key = ok(await createApiKeyAction(null, form({ name: "CI", projectId: project.id })));
    expect(key.value).toMatch(/^confident_proj_[0-9a-f]{32,}$/);
    expect(ok(await setApiKeyValidAction(null, form({ apiKeyId: String(key.id), valid: "false", projectId: project.id })))).toMatchObject({ valid: false });
    expect(ok(await setApiKeyValidAction(null, form({ apiKeyId: String(key.id), valid: "true", projectId: project.id })))).toMatchObject({ valid: true });
    // The org's own key is not one of the project's, and the project's key not one of the org's.
    expect(await deleteApiKeyAction(null, form({ apiKeyId: String(org.apiKeyId), projectId: project.id }))).toEqual({ ok: false, error: `API key ${org.apiKeyId} not found` });
    expect(await deleteApiKeyAction(null, form({ apiKeyId: String(key.id) }))).toEqual({ ok: false, error: `API key ${key.id} not found` });
    expect(ok(await deleteApiKeyAction(null, form({ apiKeyId: String(key.id), projectId: project.id })))).toEqual({ id: key.id, deleted: true });
    const actions = await p().auditEvent.findMany({ where: { projectId: project.id, targetId: String(key.id) }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["project.apiKeys.create", "project.apiKeys.update", "project.apiKeys.update", "project.apiKeys.delete"]);
  });

  it("changes a project role, transfers project ownership, removes a member; never the project Owner", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    const grace = await addMember(org.id, "grace@example.com");
    const { project } = await newProject("Bot", { email: ada.email });
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: grace.id, roleId: PROJECT_ROLES.Member } });
    const change = (userId: string, roleId: string) => changeProjectMemberRoleAction(null, form({ projectId: project.id, userId, roleId }));

    expect(ok(await change(grace.id, PROJECT_ROLES.Manager))).toMatchObject({ email: grace.email, projectRole: { id: PROJECT_ROLES.Manager } });
    expect(ok(await change(grace.id, PROJECT_ROLES.Owner))).toMatchObject({ projectRole: { id: PROJECT_ROLES.Owner, name: "Owner" } });
    const roles = await p().projectMembership.findMany({ where: { projectId: project.id }, orderBy: { userId: "asc" } });
    expect(Object.fromEntries(roles.map((r) => [r.userId, r.roleId]))).toEqual({ [ada.id]: PROJECT_ROLES.Manager, [grace.id]: PROJECT_ROLES.Owner });

    expect(await removeProjectMemberAction(null, form({ projectId: project.id, userId: grace.id }))).toEqual({
      ok: false,
      error: "The project Owner cannot be removed; transfer project ownership to another member first",
    });
    expect(ok(await removeProjectMemberAction(null, form({ projectId: project.id, userId: ada.id })))).toEqual({ id: ada.id, removed: true });
    expect(await p().membership.count({ where: { userId: ada.id, organizationId: org.id } })).toBe(1);
  });
});

describe("governance actions", () => {
  it("creates a policy with its controls (blank rows ignored), edits it, assigns and unassigns projects, deletes it", async () => {
    const { project: bot } = await newProject("Bot");
    const { project: agent } = await newProject("Agent");
    const created = ok(
      await createGovernancePolicyAction(
        null,
        form({ name: "Production", description: "", controlName: ["Toxicity guardrail", "  ", "Red team"], controlType: ["RUNTIME", "OPERATIONAL", "PRE_DEPLOYMENT_RED_TEAMING"] }),
      ),
    );
    expect(created).toMatchObject({
      name: "Production",
      description: null,
      projectsCount: 0,
      controls: [
        { name: "Toxicity guardrail", type: "RUNTIME" },
        { name: "Red team", type: "PRE_DEPLOYMENT_RED_TEAMING" },
      ],
    });
    expect(await createGovernancePolicyAction(null, form({ name: "Bad", controlName: "X", controlType: "NIGHTLY" }))).toMatchObject({ ok: false });

    const edited = ok(await updateGovernancePolicyAction(null, form({ policyId: created.id, name: "Prod", controlName: "Evals", controlType: "PRE_DEPLOYMENT_EVALS" })));
    expect(edited.controls).toMatchObject([{ name: "Evals", type: "PRE_DEPLOYMENT_EVALS" }]);

    expect(await assignProjectsAction(null, form({ policyId: created.id }))).toMatchObject({ ok: false, fieldErrors: { projectIds: ["Choose at least one project."] } });
    expect(ok(await assignProjectsAction(null, form({ policyId: created.id, projectIds: [bot.id, agent.id] })))).toMatchObject({ count: 2 });
    const policyOf = async (id: string) => (await p().project.findUniqueOrThrow({ where: { id } })).governancePolicyId;
    expect([await policyOf(bot.id), await policyOf(agent.id)]).toEqual([created.id, created.id]);
    expect(ok(await unassignProjectsAction(null, form({ policyId: created.id, projectIds: agent.id })))).toMatchObject({ unassignedProjectIds: [agent.id] });
    expect(await policyOf(agent.id)).toBeNull();

    expect(ok(await deleteGovernancePolicyAction(null, form({ policyId: created.id })))).toEqual({ id: created.id, deleted: true });
    expect(await policyOf(bot.id)).toBeNull();
  });

  it("refuses an org Member's writes with the service's words", async () => {
    const member = await addMember(org.id, "member@example.com");
    await signInAs(member.id);
    expect(await createGovernancePolicyAction(null, form({ name: "Mine" }))).toEqual(refused("project:manage"));
    expect(await p().governancePolicy.count()).toBe(0);
  });
});

describe("the audit log's project filter", () => {
  it("lists only the events about one project", async () => {
    const { project: bot } = await newProject("Bot");
    const { project: agent } = await newProject("Agent");
    ok(await createApiKeyAction(null, form({ name: "CI", projectId: bot.id })));
    const page = await listAuditEvents(owner, { projectId: bot.id });
    expect(page.events.map((e) => e.action).sort()).toEqual(["project.apiKeys.create", "project.apiKeys.create", "project.create"]);
    expect((await listAuditEvents(owner, { projectId: agent.id })).total).toBe(2);
    expect((await listAuditEvents(owner)).total).toBe(5);
  });
});

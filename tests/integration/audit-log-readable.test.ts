// The audit log as people read it (issue 13, point 9), through the real services against the
// test database: details as changes with names instead of ids ("role: Member → Admin"),
// projects and governance policies named as targets (also once deleted), and the date range,
// whose days are the viewer's.
import { beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { createApiKey, updateApiKey } from "@/lib/services/api-keys";
import { listAuditEvents, startOfDay, type AuditEventView } from "@/lib/services/audit-log";
import type { ServiceContext } from "@/lib/services/context";
import { assignProjects, createGovernancePolicy } from "@/lib/services/governance";
import { updateMemberRole } from "@/lib/services/members";
import { createPolicy } from "@/lib/services/policies";
import { createProject, deleteProject } from "@/lib/services/projects/projects";
import { createRole, updateRole } from "@/lib/services/roles";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
let owner: ServiceContext;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "req-test" };
});

async function latest(action: string): Promise<AuditEventView> {
  const [event] = (await listAuditEvents(owner, { action })).events;
  if (!event) throw new Error(`no ${action} event`);
  return event;
}

describe("audit details", () => {
  it("a role change reads 'role: Member → Admin', on the member by email", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    await updateMemberRole(owner, ada.id, { roleId: SYSTEM_ROLES.Admin });
    const event = await latest("org.members.role.update");
    expect(event.target?.label).toBe("Member ada@example.com");
    expect(event.details).toEqual([{ field: "role", from: "Member", to: "Admin" }]);
  });

  it("a role edit lists what changed, policies by name; a policy lists its permissions by name", async () => {
    const perms = await getPrisma().permission.findMany({ where: { name: { in: ["apiKey:read", "apiKey:manage"] }, scope: "ORGANIZATION" } });
    const policy = await createPolicy(owner, { name: "Key admin", description: null, permissionIds: perms.map((p) => p.id) });
    expect((await latest("org.policies.create")).details).toEqual([
      { field: "name", value: "Key admin" },
      { field: "description", value: "none" },
      { field: "permissions", value: "apiKey:manage, apiKey:read" },
    ]);

    const role = await createRole(owner, { name: "Support", description: null, policyIds: [SYSTEM_POLICIES.ReadOnly] });
    await updateRole(owner, role.id, { name: "Support team", description: null, policyIds: [policy.id] });
    const edit = await latest("org.roles.update");
    expect(edit.target?.label).toBe('Role "Support team"');
    expect(edit.details).toEqual([
      { field: "name", from: "Support", to: "Support team" },
      { field: "policies", added: ["Key admin"], removed: ["Read only"] },
    ]);
    // Nothing in the details is a raw id.
    expect(JSON.stringify(edit.details)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("an API key's deactivation reads 'status: active → deactivated'", async () => {
    const key = await createApiKey(owner, { name: "CI" });
    await updateApiKey(owner, key.id, { valid: false });
    const event = await latest("org.apiKeys.update");
    expect(event.target?.label).toBe(`API key #${key.id} (CI)`);
    expect(event.details).toEqual([{ field: "status", from: "active", to: "deactivated" }]);
  });

  it("names projects and governance policies, in targets and details, also after the project is deleted", async () => {
    await addMember(org.id, "ada@example.com");
    const { project } = await createProject(owner, { name: "Bot", description: null, email: "ada@example.com" });
    const governance = await createGovernancePolicy(owner, { name: "Strict", description: null, controls: [{ name: "Toxicity", type: "PRE_DEPLOYMENT_EVALS" }] });
    await assignProjects(owner, governance.id, { projectIds: [project.id] });

    const created = await latest("project.create");
    expect(created.target?.label).toBe('Project "Bot"');
    expect(created.details).toEqual([
      { field: "name", value: "Bot" },
      { field: "owner", value: "ada@example.com" },
    ]);
    expect((await latest("org.governance.create")).details).toContainEqual({ field: "controls", value: "Toxicity (pre-deployment evals)" });
    const assigned = await latest("org.governance.assign");
    expect(assigned.target?.label).toBe('Project "Bot"');
    expect(assigned.details).toEqual([
      { field: "governance policy", value: "Strict" },
      { field: "previous governance policy", value: "none" },
    ]);

    await deleteProject(owner, project.id);
    // Gone, the project keeps the name its delete event recorded, in every event about it.
    const gone = (await listAuditEvents(owner, { projectId: project.id })).events;
    expect(new Set(gone.filter((e) => e.target?.type === "project").map((e) => e.target?.label))).toEqual(new Set(['Project "Bot" (deleted)']));
    expect((await latest("project.delete")).details).toEqual([
      { field: "name", value: "Bot" },
      { field: "governance policy", value: "Strict" },
    ]);
  });
});

describe("the date range filter", () => {
  async function seed(times: string[]) {
    await getPrisma().auditEvent.createMany({
      data: times.map((iso, i) => ({
        organizationId: org.id,
        actorType: "user",
        actorId: org.ownerId,
        action: "org.update",
        targetType: "organization",
        targetId: org.id,
        requestId: `req-${i}`,
        createdAt: new Date(iso),
      })),
    });
  }
  const times = async (query: Parameters<typeof listAuditEvents>[1]) => (await listAuditEvents(owner, query)).events.map((e) => e.createdAt).sort();

  it("includes whole days, from the first day's start to the last day's end", async () => {
    await seed(["2026-03-09T23:59:59.000Z", "2026-03-10T00:00:00.000Z", "2026-03-11T23:59:59.999Z", "2026-03-12T00:00:00.000Z"]);
    expect(await times({ from: "2026-03-10", to: "2026-03-11" })).toEqual(["2026-03-10T00:00:00.000Z", "2026-03-11T23:59:59.999Z"]);
    expect(await times({ from: "2026-03-12" })).toEqual(["2026-03-12T00:00:00.000Z"]);
    expect(await times({ to: "2026-03-09" })).toEqual(["2026-03-09T23:59:59.000Z"]);
  });

  it("takes the days in the viewer's time zone", async () => {
    // 23:30 UTC on March 9 is already March 10 in Tokyo (UTC+9) and still March 9 in New York.
    await seed(["2026-03-09T23:30:00.000Z"]);
    expect(await times({ from: "2026-03-10", to: "2026-03-10", timeZone: "Asia/Tokyo" })).toHaveLength(1);
    expect(await times({ from: "2026-03-10", to: "2026-03-10", timeZone: "America/New_York" })).toHaveLength(0);
    expect(await times({ from: "2026-03-09", to: "2026-03-09", timeZone: "America/New_York" })).toHaveLength(1);
    // Across a daylight-saving change (New York moved to UTC-4 on 2026-03-08): midnight is 04:00 UTC.
    expect(startOfDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDay("2026-03-07", "America/New_York").toISOString()).toBe("2026-03-07T05:00:00.000Z");
  });

  it("refuses a range that ends before it starts, a malformed date and an unknown zone", async () => {
    await expect(listAuditEvents(owner, { from: "2026-03-11", to: "2026-03-10" })).rejects.toThrow("from must be on or before to");
    await expect(listAuditEvents(owner, { from: "10/03/2026" })).rejects.toThrow("from must be a date such as 2026-01-31");
    await expect(listAuditEvents(owner, { from: "2026-03-10", timeZone: "Mars/Olympus" })).rejects.toThrow("timeZone must be a time zone");
  });
});

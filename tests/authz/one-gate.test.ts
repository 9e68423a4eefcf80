// Two things the matrix relies on. First, the table itself follows the contract's key rule and
// every row is exercised by exactly one scenario. Second, "one gate": the settings server
// actions check nothing themselves, so their refusals are the services' refusals, word for word.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getWorkspace } from "@/lib/auth/session";
import { changeMemberRoleAction } from "@/lib/actions/members";
import { createRoleAction } from "@/lib/actions/roles";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { ServiceContext } from "@/lib/services/context";
import { updateMemberRole } from "@/lib/services/members";
import { createRole } from "@/lib/services/roles";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { snapshotTables } from "../helpers/db-snapshot";
import { ACTORS, expectedRow, TABLE, type ScenarioName } from "./expectations";
import { buildFixture, ORG_ID, USER } from "./fixture";
import { API_KEYS_AND_AUDIT } from "./scenarios/api-keys-audit";
import { IAM } from "./scenarios/iam";
import { MEMBERS } from "./scenarios/members";
import { ORGANIZATION_AND_INVITATIONS } from "./scenarios/org-invitations";

vi.mock("@/lib/auth/session", () => ({ getWorkspace: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

describe("the expectation table", () => {
  const rows = Object.keys(TABLE) as ScenarioName[];

  it("gives a key its creator's outcome, an operator key the Owner's, and a departed creator's key 401", () => {
    for (const name of rows) {
      const row = expectedRow(name);
      for (const creator of ["Owner", "Admin", "Member", "Lacking", "Exact"] as const) {
        expect([name, row[`key:${creator}`]]).toEqual([name, row[creator]]);
      }
      expect([name, row.operator]).toEqual([name, row.Owner]);
      expect([name, row.departed]).toEqual([name, 401]);
    }
    expect(ACTORS).toHaveLength(12);
  });

  it("has exactly one scenario per row", () => {
    const scenarios = [...ORGANIZATION_AND_INVITATIONS, ...MEMBERS, ...API_KEYS_AND_AUDIT, ...IAM].map((s) => s.name);
    expect([...scenarios].sort()).toEqual([...rows].sort());
  });
});

describe("one gate: a server action's refusal is the service's", () => {
  /** The settings UI as `userId`: getWorkspace answers their real workspace in Acme. */
  async function signInAs(userId: string) {
    const user = await getPrisma().user.findUniqueOrThrow({
      where: { id: userId },
      select: { id: true, email: true, name: true, emailVerified: true },
    });
    const { active, organizations } = await resolveActiveOrganization(userId, ORG_ID);
    vi.mocked(getWorkspace).mockResolvedValue({ user: { ...user, hasPassword: false, sessionId: "" }, active, organizations });
    return { actor: { type: "user", userId, organizationId: ORG_ID }, requestId: "req-gate" } satisfies ServiceContext;
  }

  function form(fields: Record<string, string | string[]>) {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
    return data;
  }

  /** What the service itself says when called directly as the same user. */
  const refusalOf = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error("expected the service to refuse");
      },
      (error: Error) => error.message,
    );

  beforeEach(async () => {
    vi.mocked(getWorkspace).mockReset();
  });

  it("a Member changing a role: the service's missing-permission refusal", async () => {
    await buildFixture("user:manage");
    const ctx = await signInAs(USER.member);
    const before = await snapshotTables();
    const result = await changeMemberRoleAction(null, form({ userId: USER.targetMember, roleId: SYSTEM_ROLES.Admin }));
    expect(result).toEqual({ ok: false, error: "Your role does not allow this action (it needs the user:manage permission)" });
    expect(result).toEqual({
      ok: false,
      error: await refusalOf(updateMemberRole(ctx, USER.targetMember, { roleId: SYSTEM_ROLES.Admin })),
    });
    expect(await snapshotTables()).toEqual(before);
  });

  it("a user:manage-only member demoting an Admin: the service's grant-ceiling refusal", async () => {
    await buildFixture("user:manage");
    const ctx = await signInAs(USER.exact);
    const before = await snapshotTables();
    const result = await changeMemberRoleAction(null, form({ userId: USER.targetAdmin, roleId: SYSTEM_ROLES.Member }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^You cannot change the role of a member whose role holds permissions you do not hold/);
    expect(result).toEqual({
      ok: false,
      error: await refusalOf(updateMemberRole(ctx, USER.targetAdmin, { roleId: SYSTEM_ROLES.Member })),
    });
    expect(await snapshotTables()).toEqual(before);
  });

  it("an iam:manage-only member defining a Read only role: the service's grant-ceiling refusal", async () => {
    await buildFixture("iam:manage");
    const ctx = await signInAs(USER.exact);
    const before = await snapshotTables();
    const result = await createRoleAction(null, form({ name: "Auditor", policyIds: [SYSTEM_POLICIES.ReadOnly] }));
    expect(!result.ok && result.error).toMatch(/^You cannot grant a role with permissions you do not hold \(.*user:read/);
    expect(result).toEqual({
      ok: false,
      error: await refusalOf(createRole(ctx, { name: "Auditor", policyIds: [SYSTEM_POLICIES.ReadOnly], description: null })),
    });
    expect(await snapshotTables()).toEqual(before);
  });
});

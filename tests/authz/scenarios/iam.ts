// Roles, policies and the permission catalogue.
import { expect } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { listPermissions } from "@/lib/services/iam";
import { PERMISSIONS } from "@/lib/services/permissions";
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from "@/lib/services/policies";
import { createRole, deleteRole, listRoles, updateRole } from "@/lib/services/roles";
import { ORG_ID, POLICY, ROLE } from "../fixture";
import { scenario } from "../matrix";

const policiesOf = async (roleId: string) =>
  (await getPrisma().rolePolicy.findMany({ where: { roleId } })).map((rp) => rp.policyId);
const permissionsOf = async (policyId: string) =>
  (await getPrisma().policyPermission.findMany({ where: { policyId } })).map((pp) => pp.permissionId);

export const IAM = [
  scenario({
    name: "createRole with Read only [iam:manage]",
    run: (ctx) => createRole(ctx, { name: "Auditor", policyIds: [SYSTEM_POLICIES.ReadOnly], description: null }),
    audit: "org.roles.create",
    async effect(result) {
      expect(result).toMatchObject({ name: "Auditor", organizationId: ORG_ID, policies: [{ id: SYSTEM_POLICIES.ReadOnly }] });
      expect(await policiesOf(result.id)).toEqual([SYSTEM_POLICIES.ReadOnly]);
    },
  }),
  scenario({
    name: "updateRole Support -> no policies [iam:manage]",
    run: (ctx) => updateRole(ctx, ROLE.support, { name: "Support", policyIds: [], description: null }),
    audit: "org.roles.update",
    async effect(result) {
      expect(result).toMatchObject({ id: ROLE.support, policies: [] });
      expect(await policiesOf(ROLE.support)).toEqual([]);
    },
  }),
  scenario({
    name: "deleteRole Support (unused) [iam:manage]",
    run: (ctx) => deleteRole(ctx, ROLE.support),
    audit: "org.roles.delete",
    async effect(result) {
      expect(result).toEqual({ id: ROLE.support, deleted: true });
      expect(await getPrisma().role.count({ where: { id: ROLE.support } })).toBe(0);
    },
  }),
  scenario({
    name: "createPolicy with organization:read [iam:manage]",
    run: (ctx, f) =>
      createPolicy(ctx, { name: "Org viewer", permissionIds: [f.permissionIds.get("organization:read")!], description: null }),
    audit: "org.policies.create",
    async effect(result, f) {
      expect(result).toMatchObject({ name: "Org viewer", permissions: [{ name: "organization:read" }] });
      expect(await permissionsOf(result.id)).toEqual([f.permissionIds.get("organization:read")]);
    },
  }),
  scenario({
    name: "updatePolicy People viewer -> none [iam:manage]",
    run: (ctx) => updatePolicy(ctx, POLICY.peopleViewer, { name: "People viewer", permissionIds: [], description: null }),
    audit: "org.policies.update",
    async effect(result) {
      expect(result).toMatchObject({ id: POLICY.peopleViewer, permissions: [] });
      expect(await permissionsOf(POLICY.peopleViewer)).toEqual([]);
    },
  }),
  scenario({
    name: "deletePolicy People viewer (unused) [iam:manage]",
    run: (ctx) => deletePolicy(ctx, POLICY.peopleViewer),
    audit: "org.policies.delete",
    async effect(result) {
      expect(result).toEqual({ id: POLICY.peopleViewer, deleted: true });
      expect(await getPrisma().policy.count({ where: { id: POLICY.peopleViewer } })).toBe(0);
    },
  }),
  scenario({
    name: "listRoles [iam:read]",
    run: (ctx) => listRoles(ctx),
    effect(result) {
      expect(result.slice(0, 3).map((r) => r.id)).toEqual([SYSTEM_ROLES.Owner, SYSTEM_ROLES.Admin, SYSTEM_ROLES.Member]);
      expect(result.slice(3).map((r) => r.name)).toEqual(["Analyst", "Exact", "Inviter", "Lacking", "Support"]);
    },
  }),
  scenario({
    name: "listPolicies [iam:read]",
    run: (ctx) => listPolicies(ctx),
    effect: (result) => expect(result.slice(0, 2).map((p) => p.id)).toEqual([SYSTEM_POLICIES.FullAccess, SYSTEM_POLICIES.ReadOnly]),
  }),
  scenario({
    name: "listPermissions [iam:read]",
    run: (ctx) => listPermissions(ctx),
    effect: (result) => expect(result.map((p) => p.name).sort()).toEqual([...PERMISSIONS].sort()),
  }),
];

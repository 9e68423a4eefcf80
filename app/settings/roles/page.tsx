import type { Metadata } from "next";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { SYSTEM_POLICIES } from "@/lib/db/system-roles";
import type { ServiceContext } from "@/lib/services/context";
import { listPermissions } from "@/lib/services/iam";
import { listPolicies } from "@/lib/services/policies";
import { listRoles } from "@/lib/services/roles";
import { groupPermissions, type PermissionItem } from "./permission-groups";
import { PoliciesSection } from "./policies-section";
import type { PolicyChoice } from "./role-forms";
import { RolesSection } from "./roles-section";
import styles from "./roles.module.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Roles & policies" };

const PATH = "/settings/roles";
const SYSTEM_POLICY_IDS: string[] = Object.values(SYSTEM_POLICIES);

export default async function RolesPage() {
  const { ctx, permissions: held } = await requireSettingsContext(PATH);

  return (
    <div className="stack">
      <header>
        <h1>Roles &amp; policies</h1>
        <p className="muted">
          A member&apos;s role decides what they can do. Roles are built from policies, and policies are sets of
          permissions. The system roles cannot be changed; create your own for anything in between.
        </p>
        <nav aria-label="On this page" className={styles.jump}>
          <a href="#roles">Roles</a>
          <a href="#policies">Policies</a>
        </nav>
      </header>
      {held.has("iam:read") ? (
        <Content ctx={ctx} held={held} />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing roles and policies. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}

async function Content({ ctx, held }: { ctx: ServiceContext; held: ReadonlySet<string> }) {
  const [roles, policies, permissions] = await Promise.all([listRoles(ctx), listPolicies(ctx), listPermissions(ctx)]);
  const canManage = held.has("iam:manage");

  // Policies name their permissions; the catalogue adds the descriptions shown on hover.
  const catalogue = new Map(permissions.map((p) => [p.id, p]));
  const permissionsOfPolicy = new Map<string, PermissionItem[]>(
    policies.map((p) => [p.id, p.permissions.map((ref) => catalogue.get(ref.id) ?? { ...ref, description: null })]),
  );
  const policyChoices: PolicyChoice[] = policies.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    system: SYSTEM_POLICY_IDS.includes(p.id),
    permissionCount: p.permissions.length,
    grantable: p.permissions.every((ref) => held.has(ref.name)),
  }));
  const permissionGroups = groupPermissions(permissions.map((p) => ({ ...p, held: held.has(p.name) })));

  return (
    <>
      <RolesSection
        roles={roles}
        permissionsOfPolicy={permissionsOfPolicy}
        totalPermissions={permissions.length}
        policyChoices={policyChoices}
        canManage={canManage}
      />
      <PoliciesSection
        policies={policies.map((p) => ({ ...p, system: SYSTEM_POLICY_IDS.includes(p.id), permissions: permissionsOfPolicy.get(p.id) ?? [] }))}
        totalPermissions={permissions.length}
        permissionGroups={permissionGroups}
        canManage={canManage}
      />
    </>
  );
}

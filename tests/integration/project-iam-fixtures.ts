// Projects, project members, project roles and policies for the project IAM tests, written
// straight to the test database (projects are created by their own service elsewhere), and the
// requests the official SDKs send.
import { randomBytes } from "node:crypto";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { call, type CallOptions } from "../helpers/api";

type Route = Parameters<typeof call>[0];
type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A request as the confidentai SDKs send it: the key in CONFIDENT_API_KEY, Content-Type:
 * application/json on every request (also GET and DELETE, with no body), their version header,
 * query parameters only when given.
 */
export function sdk(route: Route, method: Method, options: CallOptions & { key: string }) {
  return call(route, method, {
    ...options,
    headers: { "X-Confident-SDK-Version": "confidentai-ts/0.1.0", ...options.headers },
  });
}

export async function createProject(organizationId: string, name = `Project ${randomBytes(3).toString("hex")}`) {
  return getPrisma().project.create({ data: { organizationId, name } });
}

/** A project member is an org member first: the org membership is made when missing. */
export async function addProjectMember(
  project: { id: string; organizationId: string },
  email: string,
  roleId: string,
  options: { orgRoleId?: string; joinedAt?: Date } = {},
) {
  const p = getPrisma();
  const user = await p.user.upsert({
    where: { email },
    create: { email, name: email.split("@")[0], emailVerified: new Date() },
    update: {},
  });
  await p.membership.upsert({
    where: { organizationId_userId: { organizationId: project.organizationId, userId: user.id } },
    create: {
      organizationId: project.organizationId,
      userId: user.id,
      roleId: options.orgRoleId ?? SYSTEM_ROLES.Member,
    },
    update: {},
  });
  await p.projectMembership.create({
    data: {
      projectId: project.id,
      organizationId: project.organizationId,
      userId: user.id,
      roleId,
      joinedAt: options.joinedAt,
    },
  });
  return user;
}

/** An organization key created by `userId`: it acts as that user, as they are now. */
export async function keyMadeBy(organizationId: string, userId: string | null) {
  const raw = generateApiKey();
  await getPrisma().apiKey.create({
    data: {
      organizationId,
      name: `by ${userId}`,
      keyHash: hashApiKey(raw),
      last6: lastSix(raw),
      createdByUserId: userId,
    },
  });
  return raw;
}

let catalogue: Map<string, string> | undefined;

/** Permission ids by name, of the project catalogue or the organization one. */
export async function permissionIds(scope: "PROJECT" | "ORGANIZATION" = "PROJECT") {
  const rows = await getPrisma().permission.findMany({ where: { scope }, select: { id: true, name: true } });
  const map = new Map(rows.map((r) => [r.name, r.id]));
  if (scope === "PROJECT") catalogue = map;
  return map;
}

export async function projectPolicy(projectId: string, name: string, permissions: string[]) {
  const ids = catalogue ?? (await permissionIds());
  return getPrisma().policy.create({
    data: {
      scope: "PROJECT",
      projectId,
      name,
      permissions: { create: permissions.map((n) => ({ permissionId: ids.get(n)! })) },
    },
  });
}

export async function projectRole(projectId: string, name: string, policyIds: string[]) {
  return getPrisma().role.create({
    data: { scope: "PROJECT", projectId, name, policies: { create: policyIds.map((policyId) => ({ policyId })) } },
  });
}

/** A project invitation row (the invitation engine itself is tested elsewhere). */
export async function projectInvitation(
  project: { id: string; organizationId: string },
  email: string,
  roleId: string,
  status: "PENDING" | "DECLINED" | "ACCEPTED" | "REVOKED" = "PENDING",
) {
  return getPrisma().invitation.create({
    data: {
      organizationId: project.organizationId,
      projectId: project.id,
      email,
      roleId,
      status,
      tokenHash: randomBytes(32).toString("hex"),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
}

const TABLES = [
  "Organization",
  "User",
  "Membership",
  "Project",
  "ProjectMembership",
  "Role",
  "RolePolicy",
  "Policy",
  "PolicyPermission",
  "Invitation",
  "AuditEvent",
  "EmailOutbox",
] as const;

/**
 * Every row an organization's writes can touch, as text. API keys without lastUsedAt (written
 * in the background by authentication, refused request or not); rate-limit buckets left out.
 */
export async function snapshotAll(): Promise<Record<string, string[]>> {
  const sql = [
    ...TABLES.map((t) => `SELECT '${t}' AS "table", t::text AS "row" FROM "${t}" t`),
    `SELECT 'ApiKey', (id, name, valid, "keyHash", "projectId", "createdByUserId")::text FROM "ApiKey"`,
  ].join(" UNION ALL ");
  const rows = await getPrisma().$queryRawUnsafe<{ table: string; row: string }[]>(sql);
  const out: Record<string, string[]> = {};
  for (const { table, row } of rows) (out[table] ??= []).push(row);
  for (const list of Object.values(out)) list.sort();
  return out;
}

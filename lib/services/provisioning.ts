// Headless provisioning for operators (INIT_* variables) and the demo organization that a
// fresh development install gets, so the app is usable within a minute of starting it.
// Both are idempotent: running them again creates nothing twice.
import "server-only";
import { randomBytes } from "node:crypto";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { hashPassword } from "@/lib/auth/password";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { normalizeEmail } from "@/lib/validation/email";
import { insertOrganization } from "./organization-create";
import { endOtherSessions } from "./sessions";
import type { Env, PlanName } from "@/lib/env";
import type { Plan, Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/** Serializes provisioning across app instances booting at once. */
const PROVISION_LOCK = 72707370;
const SYSTEM_ACTOR = { actorType: "system", actorId: "provisioning" } as const;

export interface ProvisionInput {
  orgName: string;
  plan: PlanName;
  userEmail: string;
  userPassword?: string;
  apiKey?: string;
  /** A first project, with the Owner as its Owner. */
  projectName?: string;
}

export type ProvisioningConfig =
  | { kind: "none" }
  | { kind: "partial"; present: string[]; missing: string[] }
  | { kind: "complete"; input: ProvisionInput };

const REQUIRED = ["INIT_ORG_NAME", "INIT_USER_EMAIL"] as const;
const ALL = [...REQUIRED, "INIT_ORG_PLAN", "INIT_USER_PASSWORD", "INIT_ORG_API_KEY", "INIT_PROJECT_NAME"] as const;

export function readProvisioningConfig(config: Env): ProvisioningConfig {
  const present = ALL.filter((name) => config[name] !== undefined);
  if (present.length === 0) return { kind: "none" };
  const missing = REQUIRED.filter((name) => config[name] === undefined);
  if (missing.length > 0) return { kind: "partial", present, missing };
  return {
    kind: "complete",
    input: {
      orgName: config.INIT_ORG_NAME!.trim(),
      plan: config.INIT_ORG_PLAN ?? "ENTERPRISE",
      userEmail: normalizeEmail(config.INIT_USER_EMAIL!),
      userPassword: config.INIT_USER_PASSWORD,
      apiKey: config.INIT_ORG_API_KEY,
      projectName: config.INIT_PROJECT_NAME?.trim(),
    },
  };
}

export interface ProvisionResult {
  organizationId: string;
  created: { user: boolean; organization: boolean; apiKey: boolean; project: boolean };
  /** Set when INIT_ORG_API_KEY is already registered to another organization. */
  apiKeyConflict: boolean;
  /** Set when INIT_USER_EMAIL had an unverified account with a password, which was cleared. */
  clearedPassword: boolean;
}

type Tx = Prisma.TransactionClient;

async function lock(tx: Tx) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PROVISION_LOCK})`);
}

/**
 * The Owner's account. The operator vouches for INIT_USER_EMAIL, so it counts as verified. An
 * account someone registered for that address before, with a password but never verified, is not
 * theirs to keep: its password is cleared and its sessions end before it becomes Owner (else
 * whoever pre-registered the address would own the organization).
 */
async function findOrCreateUser(tx: Tx, email: string, passwordHash: string | null) {
  const existing = await tx.user.findUnique({ where: { email } });
  if (existing) {
    const untrusted = !existing.emailVerified && existing.passwordHash !== null;
    if (untrusted) {
      await tx.user.update({ where: { id: existing.id }, data: { passwordHash: null, emailVerified: new Date() } });
      await endOtherSessions(existing.id, undefined, tx);
    } else if (!existing.emailVerified) {
      await tx.user.update({ where: { id: existing.id }, data: { emailVerified: new Date() } });
    }
    // An operator-provided password only seeds accounts that have none: changing the variable
    // later must not silently reset a password the owner has since chosen.
    if (passwordHash && (untrusted || !existing.passwordHash)) {
      await tx.user.update({ where: { id: existing.id }, data: { passwordHash } });
    }
    return { user: existing, created: false, clearedPassword: untrusted };
  }
  const user = await tx.user.create({ data: { email, emailVerified: new Date(), passwordHash } });
  return { user, created: true, clearedPassword: false };
}

function createOrganization(tx: Tx, name: string, plan: PlanName, ownerId: string) {
  return insertOrganization(tx, { name, plan: plan as Plan, ownerId, actor: SYSTEM_ACTOR });
}

/**
 * The named project of the organization (matched ignoring case), created with `ownerId` as its
 * Owner when missing; answers whether it was created. Its API keys are made in the app.
 */
async function ensureProject(tx: Tx, organizationId: string, name: string, ownerId: string): Promise<boolean> {
  const existing = await tx.project.findFirst({ where: { organizationId, name: { equals: name, mode: "insensitive" } } });
  if (existing) return false;
  const project = await tx.project.create({ data: { organizationId, name } });
  await tx.projectMembership.create({ data: { projectId: project.id, organizationId, userId: ownerId, roleId: PROJECT_ROLES.Owner } });
  await tx.auditEvent.create({
    data: {
      organizationId,
      projectId: project.id,
      ...SYSTEM_ACTOR,
      action: "project.create",
      targetType: "project",
      targetId: project.id,
      metadata: { name, ownerUserId: ownerId },
    },
  });
  return true;
}

async function registerApiKey(tx: Tx, organizationId: string, key: string, name: string) {
  const keyHash = hashApiKey(key);
  const existing = await tx.apiKey.findUnique({ where: { keyHash } });
  if (existing) return { created: false, conflict: existing.organizationId !== organizationId };
  const apiKey = await tx.apiKey.create({ data: { organizationId, name, keyHash, last6: lastSix(key) } });
  await tx.auditEvent.create({
    data: {
      organizationId,
      ...SYSTEM_ACTOR,
      action: "org.apiKeys.create",
      targetType: "apiKey",
      targetId: String(apiKey.id),
    },
  });
  return { created: true, conflict: false };
}

export async function provisionOrganization(prisma: PrismaClient, input: ProvisionInput): Promise<ProvisionResult> {
  // Hashing is slow; do it before taking the lock.
  const passwordHash = input.userPassword ? await hashPassword(input.userPassword) : null;
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    const { user, created: userCreated, clearedPassword } = await findOrCreateUser(tx, input.userEmail, passwordHash);
    const owned = await tx.membership.findFirst({
      where: { userId: user.id, roleId: SYSTEM_ROLES.Owner, organization: { name: input.orgName } },
      orderBy: { joinedAt: "asc" },
    });
    const organizationId = owned
      ? owned.organizationId
      : (await createOrganization(tx, input.orgName, input.plan, user.id)).id;
    const key = input.apiKey
      ? await registerApiKey(tx, organizationId, input.apiKey, "Provisioned key")
      : { created: false, conflict: false };
    const project = input.projectName ? await ensureProject(tx, organizationId, input.projectName, user.id) : false;
    return {
      organizationId,
      created: { user: userCreated, organization: !owned, apiKey: key.created, project },
      apiKeyConflict: key.conflict,
      clearedPassword,
    };
  }, { timeout: 30_000 });
}

export interface DemoCredentials {
  organizationId: string;
  email: string;
  password: string;
  apiKey: string;
}

export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PROJECT = "Demo Project";

/** Creates the demo organization when the database has no organization at all; else null. */
export async function createDemoIfEmpty(prisma: PrismaClient): Promise<DemoCredentials | null> {
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const apiKey = generateApiKey();
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    if ((await tx.organization.count()) > 0) return null;
    const user = await tx.user.upsert({
      where: { email: DEMO_EMAIL },
      create: { email: DEMO_EMAIL, name: "Demo Owner", emailVerified: new Date(), passwordHash },
      update: { passwordHash },
    });
    const org = await createOrganization(tx, "Demo Organization", "ENTERPRISE", user.id);
    await registerApiKey(tx, org.id, apiKey, "Demo key");
    await ensureProject(tx, org.id, DEMO_PROJECT, user.id);
    return { organizationId: org.id, email: DEMO_EMAIL, password, apiKey };
  }, { timeout: 30_000 });
}

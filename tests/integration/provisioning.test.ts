import { beforeEach, describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/auth/api-keys";
import { verifyPassword } from "@/lib/auth/password";
import { provision } from "@/lib/boot";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { parseEnv } from "@/lib/env";
import { createDemoIfEmpty, readProvisioningConfig } from "@/lib/services/provisioning";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const KEY = "confident_org_" + "ab12".repeat(10);
const FULL = {
  INIT_ORG_NAME: "Acme Labs",
  INIT_ORG_PLAN: "TEAM",
  INIT_USER_EMAIL: "  Owner@Acme.TEST ",
  INIT_USER_PASSWORD: "correct horse battery",
  INIT_ORG_API_KEY: KEY,
};

async function counts() {
  const { prisma } = testDatabase().db;
  const [organizations, users, memberships, apiKeys, auditEvents] = await Promise.all([
    prisma.organization.count(),
    prisma.user.count(),
    prisma.membership.count(),
    prisma.apiKey.count(),
    prisma.auditEvent.count(),
  ]);
  return { organizations, users, memberships, apiKeys, auditEvents };
}

/** Every text value of every row of every table, to prove a secret is stored nowhere. */
async function allStoredText(): Promise<string> {
  const { prisma } = testDatabase().db;
  const tables = await prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const dumps = await Promise.all(
    tables.map(({ tablename }) =>
      prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${tablename}" t`),
    ),
  );
  return dumps.flat().map((r) => r.row).join("\n");
}

describe("headless provisioning", () => {
  beforeEach(() => resetDatabase(testDatabase().db));

  it("creates the organization, its Owner and the key once, however often it runs", async () => {
    const config = parseEnv(FULL);
    await provision(testDatabase().db, config);
    const after1 = await counts();
    expect(after1).toEqual({ organizations: 1, users: 1, memberships: 1, apiKeys: 1, auditEvents: 2 });

    await provision(testDatabase().db, config);
    await provision(testDatabase().db, config);
    expect(await counts()).toEqual(after1);

    const { prisma } = testDatabase().db;
    const org = await prisma.organization.findFirstOrThrow({ include: { memberships: { include: { user: true } } } });
    expect(org).toMatchObject({ name: "Acme Labs", plan: "TEAM", seatLimit: null });
    expect(org.memberships).toHaveLength(1);
    expect(org.memberships[0]).toMatchObject({ roleId: SYSTEM_ROLES.Owner, user: { email: "owner@acme.test" } });
    expect(await verifyPassword(FULL.INIT_USER_PASSWORD, org.memberships[0]!.user.passwordHash!)).toBe(true);
  });

  it("stores only a hash of the API key and of the password", async () => {
    await provision(testDatabase().db, parseEnv(FULL));
    const key = await testDatabase().db.prisma.apiKey.findFirstOrThrow();
    expect(key).toMatchObject({ keyHash: hashApiKey(KEY), last6: KEY.slice(-6), valid: true });
    const stored = await allStoredText();
    expect(stored).toContain(hashApiKey(KEY));
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain(FULL.INIT_USER_PASSWORD);
  });

  it("starts a TRIAL organization with a trial end date", async () => {
    await provision(testDatabase().db, parseEnv({ ...FULL, INIT_ORG_PLAN: "TRIAL" }));
    const org = await testDatabase().db.prisma.organization.findFirstOrThrow();
    expect(org.plan).toBe("TRIAL");
    expect(org.trialEndsAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("names what is missing from a partial set and creates nothing", async () => {
    const config = parseEnv({ INIT_USER_EMAIL: "owner@acme.test", INIT_ORG_API_KEY: KEY });
    expect(readProvisioningConfig(config)).toEqual({
      kind: "partial",
      present: ["INIT_USER_EMAIL", "INIT_ORG_API_KEY"],
      missing: ["INIT_ORG_NAME"],
    });
    await provision(testDatabase().db, config);
    expect((await counts()).organizations).toBe(0);
  });

  it("does not move a key that another organization already holds", async () => {
    await provision(testDatabase().db, parseEnv(FULL));
    await provision(testDatabase().db, parseEnv({ ...FULL, INIT_ORG_NAME: "Other Org" }));
    const keys = await testDatabase().db.prisma.apiKey.findMany({ include: { organization: true } });
    expect(keys.map((k) => k.organization.name)).toEqual(["Acme Labs"]);
  });
});

describe("a first project", () => {
  beforeEach(() => resetDatabase(testDatabase().db));

  it("INIT_PROJECT_NAME makes the project once, with the Owner as its Owner", async () => {
    const config = parseEnv({ ...FULL, INIT_PROJECT_NAME: " Forecasting " });
    for (let i = 0; i < 3; i++) await provision(testDatabase().db, config);
    const { prisma } = testDatabase().db;
    const projects = await prisma.project.findMany({ include: { memberships: { include: { user: true } } } });
    expect(projects.map((p) => [p.name, p.memberships.map((m) => [m.user.email, m.roleId])])).toEqual([
      ["Forecasting", [["owner@acme.test", PROJECT_ROLES.Owner]]],
    ]);
    expect(await prisma.auditEvent.count({ where: { action: "project.create", projectId: projects[0]!.id } })).toBe(1);
  });

  it("the demo organization comes with a demo project", async () => {
    const demo = await createDemoIfEmpty(testDatabase().db.prisma);
    const project = await testDatabase().db.prisma.project.findFirstOrThrow({ where: { organizationId: demo!.organizationId } });
    expect(project.name).toBe("Demo Project");
  });
});

describe("demo organization", () => {
  beforeEach(() => resetDatabase(testDatabase().db));

  it("is created on an empty database only, and its printed key and password work", async () => {
    const { prisma } = testDatabase().db;
    const demo = await createDemoIfEmpty(prisma);
    expect(demo).not.toBeNull();
    expect(demo!.apiKey).toMatch(/^confident_org_[0-9a-f]{48}$/);
    expect(await createDemoIfEmpty(prisma)).toBeNull();
    expect(await counts()).toMatchObject({ organizations: 1, users: 1, apiKeys: 1 });

    const key = await prisma.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(demo!.apiKey) } });
    expect(key.organizationId).toBe(demo!.organizationId);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: demo!.email } });
    expect(await verifyPassword(demo!.password, user.passwordHash!)).toBe(true);
  });

  it("is made by boot provisioning in development on the embedded database, never in production", async () => {
    const db = testDatabase().db;
    const pretendEmbedded = { ...db, kind: "pglite" as const };
    await provision(pretendEmbedded, parseEnv({ NODE_ENV: "production", AUTH_SECRET: "s".repeat(32), APP_URL: "https://c.example.com" }));
    expect((await counts()).organizations).toBe(0);
    await provision({ ...db, kind: "postgres" }, parseEnv({ NODE_ENV: "development" }));
    expect((await counts()).organizations).toBe(0);
    await provision(pretendEmbedded, parseEnv({ NODE_ENV: "development" }));
    expect((await counts()).organizations).toBe(1);
  });
});

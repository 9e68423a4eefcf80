// Real databases for tests: a PGlite booted from a migrated dump (default), or a PostgreSQL
// database cloned from a migrated template when TEST_DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { openPostgres, type Database } from "@/lib/db/open";
import { wrapPglite } from "@/lib/db/open-pglite";
import { resetRequestCounts } from "@/lib/services/request-counter";

export interface TestDatabase {
  db: Database;
  /** Connection URL when on PostgreSQL (for child processes); undefined on PGlite. */
  url?: string;
  dispose(): Promise<void>;
}

export function withDatabase(base: string, name: string) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPgDatabase(template?: string): Promise<string> {
  const name = `${inject("pgDatabasePrefix")}${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  return name;
}

async function dropPgDatabase(name: string) {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export function usingPostgres() {
  return Boolean(inject("pgAdminUrl"));
}

/** A database with every migration applied and nothing else (but the seeded system rows). */
export async function createMigratedDatabase(): Promise<TestDatabase> {
  if (usingPostgres()) {
    const name = await createPgDatabase(inject("pgTemplate"));
    const url = withDatabase(inject("pgAdminUrl"), name);
    const db = openPostgres(url, 10, { queryEvents: true });
    return { db, url, dispose: async () => (await db.close(), await dropPgDatabase(name)) };
  }
  const dump = new Blob([fs.readFileSync(inject("pgliteDump"))]);
  const db = wrapPglite(await PGlite.create({ loadDataDir: dump }), undefined, { queryEvents: true });
  return { db, dispose: () => db.close() };
}

/** An empty database (no migrations), for tests of the migration runner itself. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  if (usingPostgres()) {
    const name = await createPgDatabase();
    const url = withDatabase(inject("pgAdminUrl"), name);
    const db = openPostgres(url, 5);
    return { db, url, dispose: async () => (await db.close(), await dropPgDatabase(name)) };
  }
  const db = wrapPglite(await PGlite.create());
  return { db, dispose: () => db.close() };
}

/**
 * Empties every table but the migration-seeded rows. Deleting organizations and users cascades
 * to everything they own; TRUNCATE cannot be used because seeded system roles reference nothing
 * but are referenced by the tables being emptied.
 */
export async function resetDatabase(db: Database) {
  await resetRequestCounts(db.prisma);
  await db.prisma.$transaction([
    db.prisma.$executeRawUnsafe(`DELETE FROM "Organization"`),
    db.prisma.$executeRawUnsafe(`DELETE FROM "User"`),
    db.prisma.$executeRawUnsafe(`DELETE FROM "VerificationToken"`),
    db.prisma.$executeRawUnsafe(`DELETE FROM "EmailOutbox"`),
    db.prisma.$executeRawUnsafe(`DELETE FROM "RateLimitBucket"`),
    db.prisma.$executeRawUnsafe(`DELETE FROM "WebhookEvent"`),
  ]);
}

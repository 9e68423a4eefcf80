// Applies prisma/migrations with the same bookkeeping as Prisma Migrate (`_prisma_migrations`,
// sha256 checksums, advisory lock 72707369), so this runner and `prisma migrate deploy` can
// take turns on one database and two app instances never migrate at once.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlConnection } from "./connection";

const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_BOOKKEEPING_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function defaultMigrationsDir() {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}

/** The migration folders in apply order (their names start with a UTC timestamp). */
export function readMigrations(dir = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) return [];
      const bytes = fs.readFileSync(file);
      const checksum = createHash("sha256").update(bytes).digest("hex");
      return [{ name, sql: bytes.toString("utf8"), checksum }];
    });
}

interface BookkeepingRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

export interface MigrateResult {
  applied: string[];
  total: number;
  warnings: string[];
}

export async function migrate(
  conn: SqlConnection,
  { migrationsDir = defaultMigrationsDir() }: { migrationsDir?: string } = {},
): Promise<MigrateResult> {
  const migrations = readMigrations(migrationsDir);
  await conn.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`);
  try {
    await conn.query(CREATE_BOOKKEEPING_TABLE);
    const rows = await conn.query<BookkeepingRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs
         FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) throw blockedBy(failed);

    const done = new Map(
      rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]),
    );
    const warnings: string[] = [];
    for (const [name, row] of done) {
      const local = migrations.find((m) => m.name === name);
      if (!local) warnings.push(`Migration ${name} is applied to the database but missing from ${migrationsDir}.`);
      else if (local.checksum !== row.checksum)
        warnings.push(`Migration ${name} was modified after it was applied (checksum differs).`);
    }

    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      await applyOne(conn, migration);
      applied.push(migration.name);
    }
    return { applied, total: done.size + applied.length, warnings };
  } finally {
    await conn.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`).catch(() => undefined);
  }
}

async function applyOne(conn: SqlConnection, migration: MigrationFile) {
  const id = randomUUID();
  await conn.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    await conn.execScriptInTransaction(migration.sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const logs = `Migration ${migration.name} failed and was rolled back.\n\n${message}`;
    await conn.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, logs]);
    throw new MigrationError(
      `Migration ${migration.name} failed and was rolled back: ${message}\n` +
        `It is recorded as failed and blocks further migrations until resolved (see README, "Migrations").`,
    );
  }
  await conn.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
}

function blockedBy(row: BookkeepingRow) {
  const reason = (row.logs ?? "no log recorded").split("\n").filter(Boolean).slice(-1)[0];
  return new MigrationError(
    `Migration ${row.migration_name} failed (started ${row.started_at.toISOString()}) and blocks ` +
      `further migrations. Cause: ${reason}\n` +
      `Fix the cause, then run: npm run db:migrate -- --rolled-back ${row.migration_name}`,
  );
}

/** Marks a failed migration as rolled back (as `prisma migrate resolve --rolled-back`), so it is retried. */
export async function markRolledBack(conn: SqlConnection, name: string): Promise<boolean> {
  const rows = await conn.query(
    `UPDATE "_prisma_migrations" SET rolled_back_at = now()
      WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL
      RETURNING id`,
    [name],
  );
  return rows.length > 0;
}

export async function countAppliedMigrations(conn: Pick<SqlConnection, "query">): Promise<number> {
  const [row] = await conn.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return row?.count ?? 0;
}

import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, markRolledBack, migrate, readMigrations } from "@/lib/db/migrate";
import { createEmptyDatabase, type TestDatabase } from "../helpers/test-db";
import { ROOT } from "../helpers/run-script";

const MIGRATIONS = path.join(ROOT, "prisma", "migrations");

let opened: TestDatabase[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.map((t) => t.dispose()));
  opened = [];
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function emptyDb() {
  const t = await createEmptyDatabase();
  opened.push(t);
  return t.db;
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

async function bookkeeping(conn: { query<T>(sql: string): Promise<T[]> }) {
  return conn.query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);
}

/** A copy of the real migrations plus one extra migration with the given SQL. */
function migrationsWith(extraSql: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  tempDirs.push(dir);
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, "29991231000000_extra"));
  fs.writeFileSync(path.join(dir, "29991231000000_extra", "migration.sql"), extraSql);
  return dir;
}

describe("migration runner", () => {
  it("applies every migration once and records it exactly as Prisma Migrate does", async () => {
    const db = await emptyDb();
    const conn = await db.openRawConnection();
    try {
      const files = readMigrations(MIGRATIONS);
      expect(files.length).toBeGreaterThan(0);

      const first = await migrate(conn, { migrationsDir: MIGRATIONS });
      expect(first.applied).toEqual(files.map((f) => f.name));

      const rows = await bookkeeping(conn);
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      for (const row of rows) {
        const sql = fs.readFileSync(path.join(MIGRATIONS, row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }

      const second = await migrate(conn, { migrationsDir: MIGRATIONS });
      expect(second).toMatchObject({ applied: [], total: files.length, warnings: [] });
      expect(await bookkeeping(conn)).toHaveLength(files.length);
    } finally {
      await conn.close();
    }
  });

  it("rolls a failing migration back, records it, and refuses to go on until it is resolved", async () => {
    const db = await emptyDb();
    const conn = await db.openRawConnection();
    try {
      const broken = migrationsWith(`CREATE TABLE "Extra" ("id" INTEGER);\nSELECT 1 / 0;\n`);
      await expect(migrate(conn, { migrationsDir: broken })).rejects.toThrow(
        /Migration 29991231000000_extra failed and was rolled back: division by zero/,
      );

      // Rolled back: the table the broken script created first does not exist.
      const [exists] = await conn.query<{ t: string | null }>(`SELECT to_regclass('"Extra"')::text AS t`);
      expect(exists?.t).toBeNull();
      // Recorded: the row stays with no finish time and the error in its logs.
      const failed = (await bookkeeping(conn)).find((r) => r.migration_name === "29991231000000_extra");
      expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
      expect(failed?.logs).toContain("division by zero");

      // Blocks the next start, naming the migration and the way out.
      const blocked = migrate(conn, { migrationsDir: broken });
      await expect(blocked).rejects.toBeInstanceOf(MigrationError);
      await expect(migrate(conn, { migrationsDir: broken })).rejects.toThrow(
        /29991231000000_extra failed .* blocks further migrations[\s\S]*--rolled-back 29991231000000_extra/,
      );

      // Once fixed and marked rolled back, the next run applies it.
      fs.writeFileSync(path.join(broken, "29991231000000_extra", "migration.sql"), `CREATE TABLE "Extra" ("id" INTEGER);\n`);
      expect(await markRolledBack(conn, "29991231000000_extra")).toBe(true);
      const retried = await migrate(conn, { migrationsDir: broken });
      expect(retried.applied).toEqual(["29991231000000_extra"]);
      const [created] = await conn.query<{ t: string | null }>(`SELECT to_regclass('"Extra"')::text AS t`);
      expect(created?.t).toBe('"Extra"');
    } finally {
      await conn.close();
    }
  });

  it("warns when an applied migration was edited afterwards", async () => {
    const db = await emptyDb();
    const conn = await db.openRawConnection();
    try {
      const dir = migrationsWith(`SELECT 1;\n`);
      await migrate(conn, { migrationsDir: dir });
      fs.writeFileSync(path.join(dir, "29991231000000_extra", "migration.sql"), `SELECT 2;\n`);
      const result = await migrate(conn, { migrationsDir: dir });
      expect(result.warnings).toEqual([expect.stringContaining("29991231000000_extra was modified after it was applied")]);
    } finally {
      await conn.close();
    }
  });
});

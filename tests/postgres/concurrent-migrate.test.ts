// PostgreSQL only (this folder runs when TEST_DATABASE_URL is set): PGlite is single-process
// by design, so "two processes migrating one database" exists only on a server.
import { afterAll, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/db/migrate";
import { runScript } from "../helpers/run-script";
import { createEmptyDatabase, type TestDatabase } from "../helpers/test-db";

let target: TestDatabase | undefined;
afterAll(() => target?.dispose());

describe("two processes migrating one fresh PostgreSQL database at once", () => {
  it("applies each migration exactly once", async () => {
    target = await createEmptyDatabase();
    const env = { DATABASE_URL: target.url! };
    const [a, b] = await Promise.all([
      runScript("scripts/db-migrate.ts", [], env),
      runScript("scripts/db-migrate.ts", [], env),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);

    const files = readMigrations();
    const outputs = [a.stdout, b.stdout].sort();
    // One process did the work; the other waited on the advisory lock and found nothing to do.
    expect(outputs.filter((o) => o.includes(`Applied ${files.length} migration(s)`))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes("is up to date"))).toHaveLength(1);

    const rows = await target.db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });
});

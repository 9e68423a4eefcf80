// The data step of the trust-model migration: keys minted through the API by another key were
// stored without a creator, which now means "operator key, acts as the Owner". The migration
// gives each one the creator of the key that minted it, and deactivates those it cannot trace.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { createEmptyDatabase, type TestDatabase } from "../helpers/test-db";
import { ROOT } from "../helpers/run-script";

const MIGRATIONS = path.join(ROOT, "prisma", "migrations");
const cleanups: (() => Promise<void> | void)[] = [];
// Last in, first out: the raw connection closes before its database is dropped (a forced drop
// would otherwise end it under an idle client, an uncaught error in a shared test process).
afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

it("gives key-minted keys their creator's identity, keeps operator lineages, deactivates untraceable ones", async () => {
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-lineage-"));
  cleanups.push(() => fs.rmSync(before, { recursive: true, force: true }));
  for (const name of fs.readdirSync(MIGRATIONS)) {
    if (name.includes("trust_model")) break;
    fs.cpSync(path.join(MIGRATIONS, name), path.join(before, name), { recursive: true });
  }
  const t: TestDatabase = await createEmptyDatabase();
  cleanups.push(() => t.dispose());
  const conn = await t.db.openRawConnection();
  cleanups.push(() => conn.close());
  await migrate(conn, { migrationsDir: before });

  await conn.execScriptInTransaction(`
    INSERT INTO "Organization" (id, name) VALUES ('org', 'Acme');
    INSERT INTO "User" (id, email, "updatedAt") VALUES ('alice', 'alice@x.test', now());
    INSERT INTO "ApiKey" (id, "organizationId", "keyHash", last6, "createdByUserId") VALUES
      (1, 'org', 'h1', '000001', 'alice'),  -- Alice's key, from the UI
      (2, 'org', 'h2', '000002', NULL),     -- minted by key 1
      (3, 'org', 'h3', '000003', NULL),     -- minted by key 2
      (4, 'org', 'h4', '000004', NULL),     -- registered by provisioning (operator key)
      (5, 'org', 'h5', '000005', NULL),     -- minted by key 4
      (6, 'org', 'h6', '000006', NULL);     -- minted by key 99, deleted since
    INSERT INTO "AuditEvent" (id, "organizationId", "actorType", "actorId", action, "targetType", "targetId") VALUES
      (gen_random_uuid(), 'org', 'user', 'alice', 'org.apiKeys.create', 'apiKey', '1'),
      (gen_random_uuid(), 'org', 'apiKey', '1', 'org.apiKeys.create', 'apiKey', '2'),
      (gen_random_uuid(), 'org', 'apiKey', '2', 'org.apiKeys.create', 'apiKey', '3'),
      (gen_random_uuid(), 'org', 'system', 'provisioning', 'org.apiKeys.create', 'apiKey', '4'),
      (gen_random_uuid(), 'org', 'apiKey', '4', 'org.apiKeys.create', 'apiKey', '5'),
      (gen_random_uuid(), 'org', 'apiKey', '99', 'org.apiKeys.create', 'apiKey', '6');
  `);
  await migrate(conn, { migrationsDir: MIGRATIONS });

  const keys = await conn.query<{ id: number; createdByUserId: string | null; valid: boolean }>(
    `SELECT id, "createdByUserId", valid FROM "ApiKey" ORDER BY id`,
  );
  expect(keys.map((k) => [k.id, k.createdByUserId, k.valid])).toEqual([
    [1, "alice", true],
    [2, "alice", true],
    [3, "alice", true],
    [4, null, true],
    [5, null, true],
    [6, null, false],
  ]);
});

// Every test file gets its own freshly migrated database, installed as the process database
// so services and route handlers use it exactly as in production.
import { afterAll, beforeAll, vi } from "vitest";
import { setDatabase } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { resetRequestCounts } from "@/lib/services/request-counter";
import { createMigratedDatabase, type TestDatabase } from "./test-db";

// On globalThis, not in a module variable: in the shared project this setup file runs again for
// every test file, while the files importing testDatabase() may hold an earlier instance of it.
const slot = globalThis as { testDatabase?: TestDatabase };

beforeAll(async () => {
  reloadEnv();
  slot.testDatabase = await createMigratedDatabase();
  setDatabase(slot.testDatabase.db);
});

// Files of the shared project run one after another in one process (vitest.config.ts): each
// leaves the environment, globals and spies as it found them.
afterAll(async () => {
  if (slot.testDatabase) await resetRequestCounts(slot.testDatabase.db.prisma);
  setDatabase(undefined);
  await slot.testDatabase?.dispose();
  slot.testDatabase = undefined;
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  reloadEnv();
});

export function testDatabase(): TestDatabase {
  if (!slot.testDatabase) throw new Error("The test database is not ready yet (use it inside tests or hooks)");
  return slot.testDatabase;
}

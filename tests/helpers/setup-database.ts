// Every test file gets its own freshly migrated database, installed as the process database
// so services and route handlers use it exactly as in production.
import { afterAll, beforeAll } from "vitest";
import { setDatabase } from "@/lib/db";
import { createMigratedDatabase, type TestDatabase } from "./test-db";

let current: TestDatabase | undefined;

beforeAll(async () => {
  current = await createMigratedDatabase();
  setDatabase(current.db);
});

afterAll(async () => {
  setDatabase(undefined);
  await current?.dispose();
});

export function testDatabase(): TestDatabase {
  if (!current) throw new Error("The test database is not ready yet (use it inside tests or hooks)");
  return current;
}

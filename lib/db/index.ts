// One database (and one Prisma client) per process, opened on first use so that `next build`
// never touches it. Kept on globalThis so `next dev` module reloads reuse it.
import "server-only";
import { env } from "@/lib/env";
import { openPgliteDir, openPostgres, type Database } from "./open";

const holder = globalThis as unknown as { __confidentDb?: Database };

export function getDatabase(): Database {
  if (!holder.__confidentDb) {
    const config = env();
    holder.__confidentDb = config.DATABASE_URL
      ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX)
      : openPgliteDir(config.DATA_DIR);
  }
  return holder.__confidentDb;
}

export function getPrisma() {
  return getDatabase().prisma;
}

/** Installs an already opened database as this process's (tests, scripts). */
export function setDatabase(db: Database | undefined) {
  holder.__confidentDb = db;
}

export async function closeDatabase() {
  const db = holder.__confidentDb;
  holder.__confidentDb = undefined;
  await db?.close();
}

export type { Database, DatabaseKind } from "./open";

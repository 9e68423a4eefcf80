// One database (and one Prisma client) per process, opened on first use so that `next build`
// never touches it. Kept on globalThis so `next dev` module reloads reuse it. PostgreSQL opens
// synchronously on first use; the embedded database is loaded with import() (a server on
// PostgreSQL never loads PGlite), so on it the process first awaits openDatabase() — boot does.
import "server-only";
import { env } from "@/lib/env";
import { openPostgres, type Database } from "./open";

const holder = globalThis as unknown as { __confidentDb?: Database; __confidentDbOpening?: Promise<Database> };

function openConfiguredPostgres(): Database | null {
  const config = env();
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX) : null;
}

/** Opens the configured database once (PostgreSQL, or the embedded one in DATA_DIR). */
export async function openDatabase(): Promise<Database> {
  if (holder.__confidentDb) return holder.__confidentDb;
  holder.__confidentDbOpening ??= (async () => {
    const db = openConfiguredPostgres() ?? (await import("./open-pglite")).openPgliteDir(env().DATA_DIR);
    holder.__confidentDb = db;
    return db;
  })().finally(() => {
    holder.__confidentDbOpening = undefined;
  });
  return holder.__confidentDbOpening;
}

export function getDatabase(): Database {
  if (!holder.__confidentDb) {
    const db = openConfiguredPostgres();
    if (!db) throw new Error("The embedded database is not open yet: await openDatabase() first (the app does at start)");
    holder.__confidentDb = db;
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

// Opens the application database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is
// set, otherwise embedded PGlite persisted in DATA_DIR. Same schema, same migrations.
import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { openPgConnection, pgliteConnection, type SqlConnection } from "./connection";
import { acquirePidLock } from "./pid-lock";

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** A dedicated connection outside Prisma's pool (migrations, advisory locks). */
  openRawConnection(): Promise<SqlConnection>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Emit Prisma `query` events (tests count statements with them). */
  queryEvents?: boolean;
}

/**
 * Statements that start with this comment are prepared once per connection (pg named statements):
 * PostgreSQL parses them once, and after a few runs reuses a generic plan when it is no worse than
 * planning for the values. For hot statements whose text is fixed and whose best plan does not
 * depend on the values: the API key lookup every request makes, and the invitation engine's reads
 * and guarded writes, whose CTEs and subqueries cost more to plan than to run (bench:create: one
 * invitation took 11.9 ms in-process unprepared, 6.5 ms prepared). Such a statement names its
 * result columns (no top-level `*`): a prepared statement fails once a migration changes the
 * type of the rows it answers.
 */
const PREPARED = "/* prepared */";

function statementName(query: { sql: string }): string {
  if (!query.sql.startsWith(PREPARED)) return ""; // unnamed: planned for its parameters
  return `p_${createHash("sha256").update(query.sql).digest("hex").slice(0, 24)}`;
}

function clientOptions(options: OpenOptions) {
  return options.queryEvents ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
}

export function openPostgres(url: string, poolMax = 10, options: OpenOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    // Prisma stores DateTime as UTC in timestamp-without-time-zone columns; a UTC session makes
    // raw comparisons with timestamptz values (now(), Date parameters) agree with it.
    options: "-c TimeZone=UTC",
    // Fail fast while the server is down instead of queueing requests forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that
  // would crash the process. The next query reconnects.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: statementName }),
    ...clientOptions(options),
  });
  return {
    kind: "postgres",
    prisma,
    openRawConnection: () => openPgConnection(url),
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Wraps an already opened PGlite (tests boot one per file from a migrated dump). */
export function wrapPglite(db: PGlite, onClose: () => void = () => undefined, options: OpenOptions = {}): Database {
  // See openPostgres: keep the session in UTC like the stored timestamps.
  void db.exec("SET TIME ZONE 'UTC'");
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db), ...clientOptions(options) });
  return {
    kind: "pglite",
    prisma,
    openRawConnection: async () => pgliteConnection(db),
    async close() {
      await prisma.$disconnect();
      await db.close();
      onClose();
    },
  };
}

export function openPgliteDir(dataDir: string): Database {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const lock = acquirePidLock(dir);
  process.once("exit", () => lock.release());
  const db = new PGlite(path.join(dir, "pglite"));
  return wrapPglite(db, () => lock.release());
}

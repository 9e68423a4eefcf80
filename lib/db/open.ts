// Opens the application database on PostgreSQL through @prisma/adapter-pg (DATABASE_URL). The
// embedded PGlite database is opened by ./open-pglite, loaded only when it is used: a server on
// PostgreSQL does not carry PGlite's modules (~11 MiB). Same schema, same migrations.
import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { openPgConnection, type SqlConnection } from "./connection";

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
export const PREPARED = "/* prepared */";

function statementName(query: { sql: string }): string {
  if (!query.sql.startsWith(PREPARED)) return ""; // unnamed: planned for its parameters
  return `p_${createHash("sha256").update(query.sql).digest("hex").slice(0, 24)}`;
}

export function clientOptions(options: OpenOptions) {
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

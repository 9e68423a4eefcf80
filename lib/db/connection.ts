// A single raw SQL connection, used where Prisma's pooled client will not do: the migration
// runner needs one dedicated session for its advisory lock, and multi-statement scripts.
import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface SqlConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script inside one transaction: all of it, or none of it. */
  execScriptInTransaction(script: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPgConnection(url: string): Promise<SqlConnection> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, options: "-c TimeZone=UTC" });
  await client.connect();
  return {
    async query(sql, params) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows;
    },
    async execScriptInTransaction(script) {
      await client.query("BEGIN");
      try {
        // Without parameters pg uses the simple query protocol, which accepts many statements.
        await client.query(script);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** Wraps the process's PGlite instance; closing it is the owner's job, not this wrapper's. */
export function pgliteConnection(db: PGlite): SqlConnection {
  return {
    async query(sql, params) {
      const result = await db.query(sql, params as unknown[]);
      return result.rows as never[];
    },
    async execScriptInTransaction(script) {
      // pglite-prisma-adapter's executeScript does not surface errors; PGlite's own exec does.
      await db.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    close: async () => undefined,
  };
}

import "server-only";
import { getDatabase } from "@/lib/db";

export type Health =
  | { ok: true; body: { status: "ok"; database: "pglite" | "postgres"; migrations: number } }
  | { ok: false; body: { status: "unavailable"; database: "pglite" | "postgres"; error: string } };

export async function checkHealth(): Promise<Health> {
  const db = getDatabase();
  try {
    const [row] = await db.prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return { ok: true, body: { status: "ok", database: db.kind, migrations: row?.count ?? 0 } };
  } catch {
    return {
      ok: false,
      body: { status: "unavailable", database: db.kind, error: "The database is unreachable" },
    };
  }
}

// The embedded database: PGlite, persisted in DATA_DIR (or handed in already opened by tests
// and scripts). Loaded with import() only when DATABASE_URL is not set (lib/db/index.ts).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { pgliteConnection } from "./connection";
import { clientOptions, type Database, type OpenOptions } from "./open";
import { acquirePidLock } from "./pid-lock";

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

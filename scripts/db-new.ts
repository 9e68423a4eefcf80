// `npm run db:new <name>` — writes the next migration: the SQL that takes the database built by
// prisma/migrations to what prisma/schema.prisma describes, in the folder layout and format of
// `prisma migrate dev --create-only`, but offline (see lib/db/schema-diff.ts). Review the SQL
// before committing it; edit it if the change needs data moved.
// Options (used by tests): --schema <file>, --migrations <dir>.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { diffMigrationsToSchema, POSTGRES_MIGRATION_LOCK } from "../lib/db/schema-diff";

const USAGE = "Usage: npm run db:new <name>   (name: lower-case letters, digits and _)";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      debug: { type: "boolean", default: false },
      schema: { type: "string", default: "prisma/schema.prisma" },
      migrations: { type: "string", default: "prisma/migrations" },
    },
  });
  const name = positionals[0];
  if (positionals.length !== 1 || !name || !/^[a-z0-9_]+$/.test(name)) {
    console.error(USAGE);
    return 1;
  }
  const migrationsDir = path.resolve(values.migrations);

  const { sql, hasChanges } = await diffMigrationsToSchema({ migrationsDir, schemaPath: values.schema, debug: values.debug });
  if (!hasChanges) {
    console.log("No schema changes: nothing to write.");
    return 0;
  }

  // Prisma's naming: UTC timestamp to the second, so folders sort in creation order.
  const folder = path.join(migrationsDir, `${utcTimestamp(new Date())}_${name}`);
  if (fs.existsSync(folder)) {
    console.error(`${folder} already exists; wait a second and run again.`);
    return 1;
  }
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  const lockFile = path.join(migrationsDir, "migration_lock.toml");
  if (!fs.existsSync(lockFile)) fs.writeFileSync(lockFile, POSTGRES_MIGRATION_LOCK);

  console.log(`Wrote ${path.relative(process.cwd(), path.join(folder, "migration.sql"))}:\n`);
  console.log(sql.trimEnd());
  return 0;
}

/** yyyymmddHHMMSS in UTC. */
function utcTimestamp(date: Date) {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db:new failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

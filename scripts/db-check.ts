// `npm run db:check` — the drift guard for CI: fails while prisma/schema.prisma describes a
// database that replaying prisma/migrations does not produce (someone changed the schema and
// forgot `npm run db:new <name>`, or edited a migration by hand). Offline; no database needed.
// Exit codes: 0 in sync, 1 drift, 2 the check itself could not run.
// Options (used by tests): --schema <file>, --migrations <dir>.
import path from "node:path";
import { parseArgs } from "node:util";
import { readMigrations } from "../lib/db/migrate";
import { diffMigrationsToSchema } from "../lib/db/schema-diff";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      debug: { type: "boolean", default: false },
      schema: { type: "string", default: "prisma/schema.prisma" },
      migrations: { type: "string", default: "prisma/migrations" },
    },
  });
  const migrationsDir = path.resolve(values.migrations);

  const { sql, hasChanges } = await diffMigrationsToSchema({ migrationsDir, schemaPath: values.schema, debug: values.debug });
  if (!hasChanges) {
    // Counted as the app's migration runner sees them.
    console.log(`Schema and migrations are in sync (${readMigrations(migrationsDir).length} migrations)`);
    return 0;
  }
  console.error(
    `${values.schema} has changes that no migration in ${values.migrations} makes. The missing SQL:\n\n` +
      `${sql.trimEnd()}\n\n` +
      "Write it as a migration: run npm run db:new <name>",
  );
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);

// `npm run db:migrate` applies pending migrations to the configured database (the app also
// does this at boot). `npm run db:migrate -- --rolled-back <name>` marks a failed migration
// as rolled back after you have fixed its cause, so the next run retries it.
import "./load-env";
import { migrateDatabase, unreachableDatabaseMessage } from "@/lib/boot";
import { env } from "@/lib/env";
import { closeDatabase, openDatabase } from "@/lib/db";
import { markRolledBack } from "@/lib/db/migrate";

async function main() {
  const db = await openDatabase();
  const flag = process.argv.indexOf("--rolled-back");
  try {
    if (flag !== -1) {
      const name = process.argv[flag + 1];
      if (!name) throw new Error("Usage: npm run db:migrate -- --rolled-back <migration_name>");
      const conn = await db.openRawConnection();
      try {
        const marked = await markRolledBack(conn, name);
        console.log(marked ? `Marked ${name} as rolled back.` : `No failed migration named ${name}.`);
        if (!marked) process.exitCode = 1;
      } finally {
        await conn.close();
      }
      return;
    }
    const result = await migrateDatabase(db);
    console.log(
      result.applied.length > 0
        ? `Applied ${result.applied.length} migration(s) to ${db.kind}: ${result.applied.join(", ")}`
        : `Database (${db.kind}) is up to date: ${result.total} migrations.`,
    );
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  const unreachable = unreachableDatabaseMessage(error, env());
  console.error(unreachable ?? (error.name === "Error" ? error.message : `${error.name}: ${error.message}`));
  process.exit(1);
});

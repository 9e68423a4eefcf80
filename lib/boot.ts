// What the server does once at start (from instrumentation.ts): validate configuration,
// open the database, apply migrations, provision. Any failure stops the process with a
// message an operator can act on, rather than serving errors.
import { getAuthSecret } from "@/lib/auth/secret";
import { openDatabase, type Database } from "@/lib/db";
import { emailStatusLine } from "@/lib/email/delivery";
import { migrate, MigrationError } from "@/lib/db/migrate";
import { DataDirInUseError } from "@/lib/db/pid-lock";
import { ConfigError, env, isBuildPhase, type Env } from "@/lib/env";
import { fromDatabaseError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createDemoIfEmpty, provisionOrganization, readProvisioningConfig } from "@/lib/services/provisioning";

export async function migrateDatabase(db: Database) {
  const conn = await db.openRawConnection();
  try {
    const result = await migrate(conn);
    for (const warning of result.warnings) log.warn(warning);
    return result;
  } finally {
    await conn.close();
  }
}

export async function provision(db: Database, config: Env) {
  const provisioning = readProvisioningConfig(config);
  if (provisioning.kind === "partial") {
    log.warn(
      `Headless provisioning skipped: ${provisioning.missing.join(" and ")} missing ` +
        `(set: ${provisioning.present.join(", ")}).`,
    );
    return;
  }
  if (provisioning.kind === "complete") {
    const result = await provisionOrganization(db.prisma, provisioning.input);
    const created = Object.entries(result.created).filter(([, v]) => v).map(([k]) => k);
    log.info(
      created.length > 0
        ? `Provisioned ${created.join(", ")} for "${provisioning.input.orgName}".`
        : `Provisioning: "${provisioning.input.orgName}" already exists, nothing to do.`,
      { organizationId: result.organizationId },
    );
    if (result.apiKeyConflict) log.error("INIT_ORG_API_KEY is already registered to another organization; not reused.");
    if (result.clearedPassword) {
      log.warn(
        `INIT_USER_EMAIL ${provisioning.input.userEmail} had an unverified account with a password that nobody proved ` +
          "they own; the password was cleared and its sessions ended before it became Owner. " +
          (provisioning.input.userPassword
            ? "INIT_USER_PASSWORD is its password now."
            : "Its owner signs in with an email link (or set INIT_USER_PASSWORD)."),
      );
    }
    return;
  }
  if (config.NODE_ENV !== "production" && db.kind === "pglite") {
    const demo = await createDemoIfEmpty(db.prisma);
    if (demo) printDemo(demo, config.APP_URL);
  }
}

function printDemo(demo: { email: string; password: string; apiKey: string }, appUrl: string) {
  const lines = [
    "",
    "  A demo organization was created (shown once; delete the data directory to start over):",
    `    Sign in:  ${appUrl}  as  ${demo.email}  /  ${demo.password}`,
    `    API key:  ${demo.apiKey}`,
    `    Try:      curl -H "CONFIDENT_API_KEY: ${demo.apiKey}" ${appUrl}/v1/organization`,
    "",
  ];
  console.log(lines.join("\n"));
}

export async function boot() {
  const config = env();
  getAuthSecret();
  const db = await openDatabase();
  const started = Date.now();
  const result = await migrateDatabase(db);
  log.info(`Database ready (${db.kind}): ${result.total} migrations, ${result.applied.length} applied now.`, {
    ms: Date.now() - started,
  });
  await provision(db, config);
  const emailLine = emailStatusLine();
  if (config.RESEND_API_KEY || config.NODE_ENV !== "production") log.info(emailLine);
  else log.warn(emailLine);
  // Loaded only when it runs: the worker brings the email templates and the Resend SDK.
  if (config.EMAIL_WORKER === "on") (await import("@/lib/email/runner")).startOutboxWorker();
}

/**
 * An unreachable database at start, said in words an operator can act on: which server
 * (DATABASE_URL's host and port, never its password) and what to check.
 */
export function unreachableDatabaseMessage(error: unknown, config: Pick<Env, "DATABASE_URL">): string | null {
  if (!config.DATABASE_URL || fromDatabaseError(error)?.code !== "unavailable") return null;
  let where = "the server in DATABASE_URL";
  try {
    const url = new URL(config.DATABASE_URL);
    where = `${url.hostname}:${url.port || "5432"}${url.pathname !== "/" ? ` (database ${url.pathname.slice(1)})` : ""}`;
  } catch {
    // keep the generic wording
  }
  const reason = (error as { code?: string }).code ?? (error as Error).message.split("\n")[0];
  return (
    `Cannot reach PostgreSQL at ${where}, named by DATABASE_URL (${reason}). ` +
    "Check that the server is running and accepts connections from this machine, and that DATABASE_URL's host, " +
    "port, user and database are right."
  );
}

/** Boot for a server process: a half-started server must not serve requests, so any failure exits. */
export async function bootOrExit() {
  if (isBuildPhase()) return;
  try {
    await boot();
  } catch (error) {
    // Configuration, migration and lock errors carry operator-facing messages; anything
    // else gets its stack.
    const known = error instanceof ConfigError || error instanceof MigrationError || error instanceof DataDirInUseError;
    const unreachable = known ? null : unreachableDatabaseMessage(error, safeConfig());
    const detail = known ? (error as Error).message : (unreachable ?? (error instanceof Error ? error.stack : String(error)));
    console.error(`\n[confident] FATAL ${detail}\n`);
    process.exit(1);
  }
}

/** The configuration if it is valid (it was parsed before the database was touched). */
function safeConfig(): Pick<Env, "DATABASE_URL"> {
  try {
    return env();
  } catch {
    return { DATABASE_URL: undefined };
  }
}

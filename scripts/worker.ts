// `npm run worker`: the email outbox worker as its own process, for operators who run it
// apart from the web servers (set EMAIL_WORKER=off on those). Needs PostgreSQL: the embedded
// database belongs to the app process.
import "./load-env";
import { closeDatabase, openDatabase } from "@/lib/db";
import { emailStatusLine } from "@/lib/email/delivery";
import { startOutboxWorker } from "@/lib/email/runner";
import { log } from "@/lib/log";

async function main() {
  const db = await openDatabase();
  await db.prisma.$queryRaw`SELECT 1`;
  log.info(emailStatusLine());
  const worker = startOutboxWorker();
  if (!worker) {
    log.error("Nothing to do: set RESEND_API_KEY to send email in production.");
    process.exit(1);
  }
  log.info(`Outbox worker running on ${db.kind}; Ctrl-C to stop.`);
  const stop = async () => {
    await worker.stop();
    await closeDatabase();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(error.name === "Error" ? error.message : `${error.name}: ${error.message}`);
  process.exit(1);
});

// Delivers the email outbox. Safe with several workers (app instances, `npm run worker`) on
// one database: rows are claimed with FOR UPDATE SKIP LOCKED and a lease; a worker that dies
// after claiming leaves its rows to be reclaimed once the lease expires, and they are re-sent
// under the same idempotency key, so the provider delivers each message once.
import { createHash } from "node:crypto";
import { open } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db";
import type { EmailOutbox } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { OUTBOX_SECRET_PURPOSE } from "@/lib/services/invitations/outbox";
import { buildMessage } from "./messages";
import { MAX_BATCH, type OutgoingEmail, type SendOutcome, type Transport } from "./transport";

export interface WorkerOptions {
  transport: Transport;
  from: string;
  maxAttempts: number;
  /** How long a claim protects a row from other workers. */
  leaseMs?: number;
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
  random?: () => number;
}

export interface RunSummary {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** Exponential backoff with jitter: base·2^(attempt-1), capped, times a random factor in [0.5, 1). */
export function backoffMs(attempt: number, base: number, max: number, random: () => number) {
  return Math.round(Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + random() / 2));
}

async function claim(now: Date, leaseMs: number, limit: number): Promise<EmailOutbox[]> {
  const lease = new Date(now.getTime() + leaseMs);
  return getPrisma().$queryRaw<EmailOutbox[]>`
    WITH due AS (
      SELECT id FROM "EmailOutbox"
       WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
         AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
       ORDER BY "nextAttemptAt", "batchKey" NULLS LAST, id
       LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
    )
    UPDATE "EmailOutbox" o SET "lockedUntil" = ${lease}, attempts = o.attempts + 1
      FROM due WHERE o.id = due.id
    RETURNING o.*`;
}

/** Rows sent together once must be re-sent together: same members, same batch key. */
interface SendGroup {
  key: string;
  rows: EmailOutbox[];
  /** A batch that went out before and must be re-sent whole. */
  retry: boolean;
}

function groupForSending(rows: EmailOutbox[]): SendGroup[] {
  const groups: SendGroup[] = [];
  const byBatch = new Map<string, EmailOutbox[]>();
  const fresh: EmailOutbox[] = [];
  for (const row of rows) {
    if (row.batchKey) byBatch.set(row.batchKey, [...(byBatch.get(row.batchKey) ?? []), row]);
    else fresh.push(row);
  }
  for (const [key, members] of byBatch) groups.push({ key, rows: members, retry: true });
  for (let i = 0; i < fresh.length; i += MAX_BATCH) {
    const chunk = fresh.slice(i, i + MAX_BATCH);
    if (chunk.length === 1) {
      groups.push({ key: chunk[0]!.idempotencyKey, rows: chunk, retry: false });
    } else {
      const digest = createHash("sha256").update(chunk.map((r) => r.idempotencyKey).sort().join("\n")).digest("hex");
      groups.push({ key: `batch-${digest.slice(0, 40)}`, rows: chunk, retry: false });
    }
  }
  return groups;
}

async function markBatch(rows: EmailOutbox[], key: string) {
  if (key.startsWith("batch-")) {
    await getPrisma().emailOutbox.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { batchKey: key } });
  }
}

async function recordOutcome(rows: EmailOutbox[], outcome: SendOutcome, options: Required<Omit<WorkerOptions, "transport" | "from">>, now: Date) {
  const prisma = getPrisma();
  const invitationIds = rows.flatMap((r) => (r.invitationId ? [r.invitationId] : []));
  if (outcome.ok) {
    await prisma.$transaction([
      // One statement for the whole batch. The sealed link is erased once delivered: a later
      // dump of the database holds no usable link.
      prisma.$executeRaw`
        UPDATE "EmailOutbox" AS o
           SET status = 'SENT', "providerId" = v.provider_id, "sentAt" = ${now}, secret = NULL,
               "lockedUntil" = NULL, "lastError" = NULL
          FROM unnest(${rows.map((r) => r.id)}::uuid[], ${outcome.providerIds}::text[]) AS v(id, provider_id)
         WHERE o.id = v.id`,
      prisma.invitation.updateMany({ where: { id: { in: invitationIds }, emailStatus: "QUEUED" }, data: { emailStatus: "SENT" } }),
    ]);
    return "sent" as const;
  }
  const attempts = Math.max(...rows.map((r) => r.attempts));
  if (outcome.retryable && attempts < options.maxAttempts) {
    const delay = backoffMs(attempts, options.baseDelayMs, options.maxDelayMs, options.random);
    await prisma.emailOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { nextAttemptAt: new Date(now.getTime() + delay), lockedUntil: null, lastError: outcome.error },
    });
    return "retrying" as const;
  }
  await prisma.$transaction([
    prisma.emailOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { status: "FAILED", secret: null, lockedUntil: null, lastError: outcome.error },
    }),
    prisma.invitation.updateMany({ where: { id: { in: invitationIds } }, data: { emailStatus: "FAILED" } }),
  ]);
  log.warn(`Email delivery failed for good (${rows.length} message(s))`, { error: outcome.error });
  return "failed" as const;
}

function prepare(rows: EmailOutbox[], from: string): Promise<OutgoingEmail[]> {
  return Promise.all(
    rows.map(async (row) => {
      const secret = row.secret ? (JSON.parse(open(row.secret, OUTBOX_SECRET_PURPOSE)) as Record<string, unknown>) : {};
      const rendered = await buildMessage(row.kind, row.payload as Record<string, unknown>, secret);
      return { idempotencyKey: row.idempotencyKey, kind: row.kind, from, to: row.recipient, ...rendered };
    }),
  );
}

/** A retried batch must go out with all its members, or the provider could not deduplicate it. */
async function holdsWholeBatch(key: string, rows: EmailOutbox[]) {
  const members = await getPrisma().emailOutbox.count({ where: { batchKey: key, status: "PENDING" } });
  return members === rows.length;
}

async function release(rows: EmailOutbox[]) {
  await getPrisma().emailOutbox.updateMany({
    where: { id: { in: rows.map((r) => r.id) } },
    data: { lockedUntil: null, attempts: { decrement: 1 } },
  });
}

/** Claims what is due and sends it once; returns what happened. Call it in a loop. */
export async function runOutboxOnce(options: WorkerOptions): Promise<RunSummary> {
  const settings = {
    maxAttempts: options.maxAttempts,
    leaseMs: options.leaseMs ?? 60_000,
    batchSize: options.batchSize ?? MAX_BATCH,
    baseDelayMs: options.baseDelayMs ?? 2_000,
    maxDelayMs: options.maxDelayMs ?? 15 * 60_000,
    now: options.now ?? (() => new Date()),
    random: options.random ?? Math.random,
  };
  const rows = await claim(settings.now(), settings.leaseMs, settings.batchSize);
  const summary: RunSummary = { claimed: rows.length, sent: 0, retrying: 0, failed: 0 };
  for (const group of groupForSending(rows)) {
    if (group.retry && !(await holdsWholeBatch(group.key, group.rows))) {
      await release(group.rows);
      continue;
    }
    let outcome: SendOutcome;
    try {
      const messages = await prepare(group.rows, options.from);
      await markBatch(group.rows, group.key);
      outcome = await options.transport.send(messages, group.key);
    } catch (error) {
      // Rendering or decrypting failed (e.g. AUTH_SECRET changed): retrying cannot help.
      outcome = { ok: false, retryable: false, status: null, error: `could not prepare message: ${(error as Error).message}` };
    }
    summary[await recordOutcome(group.rows, outcome, settings, settings.now())] += group.rows.length;
  }
  return summary;
}

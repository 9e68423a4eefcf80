// The API's per-key and per-organization request counts, kept in memory per app instance and
// written to PostgreSQL (the RateLimitBucket rows every instance shares) in small batches, so a
// request does not commit a write. Every flush is one statement for every pending counter; its
// answer is the shared total, which includes what the other instances have flushed.
//
// How far an instance may run ahead of the shared total is bounded by counting, not by time: a
// counter may hold at most `batchFor(...)` hits that are not in PostgreSQL yet before a request
// must wait for a flush. Far from the limit that is MAX_BATCH; within 8 × MAX_BATCH of it the
// batch shrinks to an eighth of what is left, and in the last 8 hits every request syncs first.
// What this can let through (README "Rate limits across instances"):
// - one instance: nothing; it knows every hit it admitted.
// - several instances: each may admit up to one batch the others have not seen yet, so a window
//   admits at most limit + instances × min(MAX_BATCH, limit / 8) requests.
// - a crash loses the hits not flushed yet: at most MAX_BATCH per counter (or those of the last
//   FLUSH_INTERVAL_MS).
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db";
import { log } from "@/lib/log";
import { sweepExpiredWindows } from "./rate-limit";

type Db = Pick<Prisma.TransactionClient, "$queryRaw">;

export const WINDOW_MS = 60_000;
export const MAX_BATCH = 16;
export const FLUSH_INTERVAL_MS = 200;

export interface CountedLimit {
  key: string;
  max: number;
}

interface Counter {
  key: string;
  /** Start of the window, epoch ms on the database's clock. */
  window: number;
  /** The shared total as of this instance's last flush of this counter (every instance's hits). */
  shared: number;
  /** Hits being written by the flush in flight. */
  inflight: number;
  /** Hits admitted here and not written yet. */
  pending: number;
}

const known = (c: Counter) => c.shared + c.inflight + c.pending;

/** How many unwritten hits a counter may hold: fewer as the limit gets close. */
export function batchFor(total: number, max: number): number {
  if (total >= max) return MAX_BATCH; // refused until the window ends whatever the others did
  return Math.max(1, Math.min(MAX_BATCH, Math.floor((max - total) / 8)));
}

export interface Counted {
  /** The total each limit's counter has reached with this hit, in the order given. */
  totals: number[];
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class RequestCounter {
  private counters = new Map<string, Counter>();
  /** Database clock minus local clock, learned from each flush (windows follow the database). */
  private offsetMs = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: () => Db) {}

  private now() {
    return Date.now() + this.offsetMs;
  }

  private counter(key: string, window: number): Counter {
    const id = `${key}@${window}`;
    let counter = this.counters.get(id);
    if (!counter) this.counters.set(id, (counter = { key, window, shared: 0, inflight: 0, pending: 0 }));
    return counter;
  }

  /** Counts one hit against every limit (refused hits count too) and answers the totals. */
  async hit(limits: CountedLimit[]): Promise<Counted> {
    for (;;) {
      const now = this.now();
      const window = now - (now % WINDOW_MS);
      const counters = limits.map((l) => this.counter(l.key, window));
      const mustSync = counters.some((c, i) => c.pending > 0 && c.pending >= batchFor(known(c), limits[i]!.max));
      if (mustSync) {
        await this.flush();
        continue; // the window may have turned while waiting
      }
      for (const c of counters) c.pending++;
      this.schedule();
      return { totals: counters.map(known), resetSeconds: Math.max(1, Math.ceil((window + WINDOW_MS - now) / 1000)) };
    }
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((error: Error) => log.warn("Request counts not written yet; the next request writes them", { error: error.message }));
    }, FLUSH_INTERVAL_MS);
    this.timer.unref?.();
  }

  /** Writes every pending hit in one statement; resolves once the shared totals are known. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    const batch = [...this.counters.values()].filter((c) => c.pending > 0);
    if (batch.length === 0) return Promise.resolve();
    for (const c of batch) {
      c.inflight = c.pending;
      c.pending = 0;
    }
    const started = Date.now();
    this.flushing = this.write(batch)
      .then(
        ({ rows, dbNow }) => {
          this.offsetMs = dbNow - (started + Date.now()) / 2;
          const byId = new Map(rows.map((r) => [`${r.key}@${Number(r.window)}`, Number(r.count)]));
          for (const c of batch) {
            c.shared = byId.get(`${c.key}@${c.window}`) ?? c.shared + c.inflight;
            c.inflight = 0;
          }
          this.forgetOldWindows();
        },
        (error: unknown) => {
          // Nothing was written: the hits stay pending for the next flush (the next request's).
          for (const c of batch) {
            c.pending += c.inflight;
            c.inflight = 0;
          }
          throw error;
        },
      )
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async write(batch: Counter[]) {
    const rows = await this.db().$queryRaw<{ key: string; window: bigint | number; count: number; now: number }[]>`
      INSERT INTO "RateLimitBucket" (key, "windowStart", count, "expiresAt")
      SELECT t.key, to_timestamp(t.w / 1000.0) AT TIME ZONE 'UTC', t.n, to_timestamp(t.w / 1000.0 + 60) AT TIME ZONE 'UTC'
        FROM unnest(${batch.map((c) => c.key)}::text[], ${batch.map((c) => c.window)}::bigint[], ${batch.map((c) => c.inflight)}::int[])
             AS t(key, w, n)
      ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + EXCLUDED.count
      RETURNING key, (extract(epoch FROM "windowStart") * 1000)::bigint AS window, count,
                (extract(epoch FROM now()) * 1000)::float8 AS now`;
    // Expired windows are useless; sweep them now and then rather than on every flush.
    if (Math.random() < 0.02) {
      sweepExpiredWindows(this.db() as Prisma.TransactionClient).catch((error: Error) =>
        log.warn("Sweeping old rate-limit windows failed", { error: error.message }),
      );
    }
    return { rows, dbNow: rows.length ? Number(rows[0]!.now) : Date.now() + this.offsetMs };
  }

  private forgetOldWindows() {
    const now = this.now();
    const current = now - (now % WINDOW_MS);
    for (const [id, c] of this.counters) {
      if (c.window < current && c.pending === 0 && c.inflight === 0) this.counters.delete(id);
    }
  }

  /** Drops every count once no write is in flight (tests empty their database between cases). */
  async reset() {
    await this.flushing?.catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.counters.clear();
  }
}

/** One counter per database (one in production; tests open many). */
const counters = new WeakMap<object, RequestCounter>();

export function requestCounter(): RequestCounter {
  const prisma = getPrisma();
  let counter = counters.get(prisma);
  if (!counter) counters.set(prisma, (counter = new RequestCounter(() => prisma)));
  return counter;
}

/** Forgets the counts kept for a database (tests, before they empty it). */
export async function resetRequestCounts(prisma: object): Promise<void> {
  await counters.get(prisma)?.reset();
}

/** Writes every pending count now (shutdown, tests, benches). */
export function flushRequestCounts(): Promise<void> {
  return requestCounter().flush();
}

// The API's request counts (lib/services/request-counter.ts): counted in memory per instance,
// written to the shared RateLimitBucket rows in batches. Two counters on one database stand for
// two app instances. Every figure here is counted, not timed.
import { beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { batchFor, MAX_BATCH, RequestCounter } from "@/lib/services/request-counter";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
});

/** A counter over the test database that counts its statements and can be made to fail. */
function instance() {
  const stats = { writes: 0, failNext: 0 };
  const counter = new RequestCounter(() => ({
    $queryRaw: ((...args: Parameters<ReturnType<typeof getPrisma>["$queryRaw"]>) => {
      stats.writes++;
      if (stats.failNext > 0) {
        stats.failNext--;
        return Promise.reject(new Error("connection lost"));
      }
      return getPrisma().$queryRaw(...args);
    }) as ReturnType<typeof getPrisma>["$queryRaw"],
  }));
  return { counter, stats };
}

const admitted = (totals: number[], max: number) => totals.filter((t) => t <= max).length;

async function stored(key: string) {
  const rows = await getPrisma().rateLimitBucket.findMany({ where: { key } });
  return rows.reduce((sum, r) => sum + r.count, 0);
}

async function hits(counter: RequestCounter, key: string, max: number, n: number, concurrency = 1) {
  const totals: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const { totals: [total] } = await counter.hit([{ key, max }]);
        totals.push(total!);
      }
    }),
  );
  return totals;
}

describe("request counter", () => {
  it("writes in batches far from the limit: 1,000 requests, at most one statement per 16 (plus timer flushes)", async () => {
    const { counter, stats } = instance();
    const totals = await hits(counter, "apiKey:1", 1_000_000, 1000, 8);
    await counter.flush();
    expect(admitted(totals, 1_000_000)).toBe(1000);
    expect(stats.writes).toBeLessThanOrEqual(Math.ceil(1000 / MAX_BATCH) + 10);
    expect(stats.writes).toBeGreaterThan(0);
    expect(await stored("apiKey:1")).toBe(1000);
  });

  it("admits exactly the limit on one instance, even with concurrent requests, and stores every hit", async () => {
    const { counter } = instance();
    const totals = await hits(counter, "apiKey:2", 50, 150, 16);
    await counter.flush();
    expect(admitted(totals, 50)).toBe(50);
    expect(await stored("apiKey:2")).toBe(150);
  });

  it("holds the limit in total across two instances, over by at most one batch each", async () => {
    const a = instance();
    const b = instance();
    const MAX = 40;
    // A warms up first, so its view of the shared total is stale while B consumes the rest.
    const first = await hits(a.counter, "apiKey:3", MAX, 5);
    await a.counter.flush();
    const [ta, tb] = await Promise.all([hits(a.counter, "apiKey:3", MAX, 60, 4), hits(b.counter, "apiKey:3", MAX, 60, 4)]);
    await Promise.all([a.counter.flush(), b.counter.flush()]);
    const total = admitted([...first, ...ta], MAX) + admitted(tb, MAX);
    expect(total).toBeGreaterThanOrEqual(MAX);
    expect(total).toBeLessThanOrEqual(MAX + 2 * batchFor(0, MAX));
    expect(await stored("apiKey:3")).toBe(125);
  });

  it("syncs before every request in the last hits before the limit", () => {
    expect(batchFor(0, 1_000_000)).toBe(MAX_BATCH);
    expect(batchFor(0, 40)).toBe(5);
    expect(batchFor(33, 40)).toBe(1);
    expect(batchFor(40, 40)).toBe(MAX_BATCH); // refused until the window ends anyway
  });

  it("keeps hits that could not be written and writes them with the next flush", async () => {
    const { counter, stats } = instance();
    await hits(counter, "apiKey:4", 1_000_000, 3);
    stats.failNext = 1;
    await expect(counter.flush()).rejects.toThrow("connection lost");
    expect(await stored("apiKey:4")).toBe(0);
    await hits(counter, "apiKey:4", 1_000_000, 2);
    await counter.flush();
    expect(await stored("apiKey:4")).toBe(5);
  });

  it("counts several limits in one statement (a key and its organization)", async () => {
    const { counter, stats } = instance();
    for (let i = 0; i < 3; i++) await counter.hit([{ key: "apiKey:5", max: 100 }, { key: "org:o5", max: 2 }]);
    const last = await counter.hit([{ key: "apiKey:5", max: 100 }, { key: "org:o5", max: 2 }]);
    expect(last.totals).toEqual([4, 4]);
    const before = stats.writes;
    await counter.flush();
    expect(stats.writes - before).toBeLessThanOrEqual(1);
    expect([await stored("apiKey:5"), await stored("org:o5")]).toEqual([4, 4]);
  });
});

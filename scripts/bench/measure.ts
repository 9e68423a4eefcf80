// Load and printing for the `npm run bench:*` scripts: autocannon runs that keep every response
// time, interleaved runs of several targets (noise on a shared machine falls on all alike),
// percentiles and tables. Re-exported by ./common.
import os from "node:os";
import autocannon from "autocannon";

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Headers per connection (e.g. one API key each). */
  perConnection?: (i: number) => Record<string, string>;
}

export interface LoadResult {
  rps: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  total: number;
}

/** One autocannon run: every response time (ms, not rounded) and the run's length. Any non-2xx
 * answer or socket error fails the bench (it would flatter it). */
export async function load(url: string, opts: LoadOptions): Promise<{ times: number[]; seconds: number }> {
  let next = 0;
  const setupClient = opts.perConnection && ((client: autocannon.Client) => client.setHeaders(opts.perConnection!(next++)));
  // Without a callback autocannon returns its event emitter, made thenable.
  const run = autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers ?? {}, ...(setupClient ? { setupClient } : {}) }) as unknown as
    Promise<autocannon.Result> & { on(event: "response", cb: (client: unknown, status: number, bytes: number, time: number) => void): void };
  const times: number[] = [];
  run.on("response", (_client, _status, _bytes, time) => times.push(time));
  const r = await run;
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { times, seconds: r.duration };
}

/**
 * Runs the targets in turn, in `slices` rounds of seconds/slices each (the first target rotating),
 * so background noise on a shared machine falls on all of them alike. Merges each target's
 * response times: req/s = responses / seconds run; percentiles over every response.
 */
export async function interleave(targets: { url: string; opts: LoadOptions }[], slices = 5): Promise<LoadResult[]> {
  const acc = targets.map(() => ({ times: [] as number[], seconds: 0 }));
  for (let round = 0; round < slices; round++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (round + k) % targets.length;
      const t = targets[i]!;
      const r = await load(t.url, { ...t.opts, seconds: t.opts.seconds / slices });
      acc[i]!.times.push(...r.times);
      acc[i]!.seconds += r.seconds;
    }
  }
  return acc.map(({ times, seconds }) => ({
    rps: times.length / seconds,
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    p99: percentile(times, 99),
    total: times.length,
  }));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function table(rows: (string | number)[][]) {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  for (const r of cells) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
}

export const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);

export function machineLine(pgVersion: string) {
  const cpu = os.cpus();
  return `machine: ${cpu.length} cores (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, PostgreSQL ${pgVersion}`;
}

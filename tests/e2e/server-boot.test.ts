// The two ways operators start the app, as real processes:
// - `next dev` on the embedded database (the README's first command) prints a demo sign-in
//   and key, and health names pglite; a second server on the same data directory is refused.
// - `next start` on PostgreSQL migrates the database at boot, provisions from INIT_*, and
//   stays idempotent across restarts.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "@/lib/auth/api-keys";
import { readMigrations } from "@/lib/db/migrate";
import { startServer, waitForExit, type RunningServer } from "../helpers/server";

const running: RunningServer[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const fn of cleanups) await fn();
});

/** fetch, retried once when a kept-alive connection was closed by the server meanwhile. */
async function fetchOnce(url: string, init?: RequestInit) {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function healthOf(server: RunningServer) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${server.url}/api/health`);
      if (response.status === 200) return await response.json();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`health never answered 200:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("next dev on the embedded database", () => {
  it("serves health, prints the demo sign-in and key, runs the API tour, fills the dev mailbox, and refuses a second server", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "confident-dev-"));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    // No APP_URL: in development it is this machine on the port the server listens on.
    const dev = await startServer("dev", { DATA_DIR: dataDir, NODE_ENV: "development", APP_URL: undefined });
    running.push(dev);
    const origin = `http://localhost:${new URL(dev.url).port}`;

    const health = await healthOf(dev);
    expect(health).toEqual({ status: "ok", database: "pglite", migrations: readMigrations().length });
    expect(dev.output()).toContain(`Sign in:  ${origin}  as  demo@example.com  /  `);
    const key = /API key: +(confident_org_[0-9a-f]{48})/.exec(dev.output())![1]!;

    // The README's API tour walks the whole organization and projects surface with curl, as written.
    const tour = spawnSync("bash", ["scripts/api-tour.sh"], { env: { ...process.env, KEY: key, BASE: dev.url }, encoding: "utf8" });
    expect(tour.status, tour.stdout + tour.stderr).toBe(0);
    expect(tour.stdout).toContain("Tour complete");

    // Without RESEND_API_KEY an invitation lands in the development mailbox page.
    const invited = await fetchOnce(`${dev.url}/v1/organization/invitations`, {
      method: "POST",
      headers: { "CONFIDENT_API_KEY": key, "content-type": "application/json" },
      body: JSON.stringify({ emails: ["mailbox-check@example.com"] }),
    });
    expect(invited.status).toBe(200);
    await vi.waitFor(
      async () => {
        const page = await (await fetchOnce(`${dev.url}/dev/mailbox`)).text();
        expect(page).toContain("mailbox-check@example.com");
        expect(page).toContain("Join Demo Organization on Confident");
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(dev.output()).toMatch(new RegExp(`Dev mailbox: .* to mailbox-check@example\\.com — invite link: ${origin}/invite/[A-Za-z0-9_-]{43}`));

    // A production server pointed at the same data directory must refuse to start.
    const second = await startServer("start", {
      DATA_DIR: dataDir,
      NODE_ENV: "production",
      AUTH_SECRET: "e2e-secret-that-is-at-least-32-characters",
    });
    running.push(second);
    await fetch(`${second.url}/api/health`).catch(() => undefined);
    expect(await waitForExit(second, 60_000)).toBe(1);
    expect(second.output()).toMatch(/data directory .* is in use by pid \d+/);
  });
});

// The end-to-end suite always needs a PostgreSQL server (CI starts one on 127.0.0.1:5432).
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

describe("next start on PostgreSQL", () => {
  it("migrates at boot with Prisma's checksums, names postgres, and provisions once", async () => {
    const name = `confident_e2e_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const key = "confident_org_" + "c0ffee".repeat(6);
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: url.toString(),
      AUTH_SECRET: "e2e-secret-that-is-at-least-32-characters",
      INIT_ORG_NAME: "E2E Org",
      INIT_USER_EMAIL: "owner@e2e.test",
      INIT_ORG_API_KEY: key,
    };

    for (let start = 0; start < 2; start++) {
      const server = await startServer("start", env);
      running.push(server);
      expect(await healthOf(server)).toEqual({ status: "ok", database: "postgres", migrations: readMigrations().length });
      await server.stop();
    }

    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
      expect(rows).toEqual(
        readMigrations().map((m) => ({
          migration_name: m.name,
          checksum: createHash("sha256").update(fs.readFileSync(path.join("prisma/migrations", m.name, "migration.sql"))).digest("hex"),
        })),
      );
      const orgs = await db.query(`SELECT name FROM "Organization"`);
      expect(orgs.rows).toEqual([{ name: "E2E Org" }]);
      const keys = await db.query(`SELECT "keyHash" FROM "ApiKey"`);
      expect(keys.rows).toEqual([{ keyHash: hashApiKey(key) }]);
    } finally {
      await db.end();
    }
  });
});

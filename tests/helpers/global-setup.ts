// Runs once per test run: migrates one database, which every test file then clones — a
// PGlite data-dir dump, or a PostgreSQL template database when TEST_DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPgConnection, pgliteConnection } from "@/lib/db/connection";
import { migrate } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    pgAdminUrl: string;
    pgTemplate: string;
    pgDatabasePrefix: string;
  }
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(base: string, name: string) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "";
  const runId = `${process.pid}_${randomBytes(3).toString("hex")}`;
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgDatabasePrefix", `confident_test_${runId}_`);

  if (adminUrl) {
    const template = `confident_tpl_${runId}`;
    await admin(adminUrl, `CREATE DATABASE "${template}"`);
    const conn = await openPgConnection(withDatabase(adminUrl, template));
    try {
      await migrate(conn);
    } finally {
      await conn.close();
    }
    project.provide("pgTemplate", template);
    project.provide("pgliteDump", "");
    return async () => {
      const { rows } = await admin(
        adminUrl,
        `SELECT datname FROM pg_database WHERE datname LIKE 'confident\\_test\\_${runId}\\_%' OR datname = '${template}'`,
      );
      for (const { datname } of rows) await admin(adminUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    };
  }

  const db = await PGlite.create();
  await migrate(pgliteConnection(db));
  const dump = await db.dumpDataDir("none");
  await db.close();
  const file = path.join(os.tmpdir(), `confident-test-${runId}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteDump", file);
  project.provide("pgTemplate", "");
  return () => fs.rmSync(file, { force: true });
}

import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

// tests/postgres holds what only exists on a database server (several processes on one
// database); it joins the run when TEST_DATABASE_URL points at PostgreSQL.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const include = onPostgres
  ? ["tests/{unit,integration,authz,postgres}/**/*.test.ts"]
  : ["tests/{unit,integration,authz}/**/*.test.ts"];

/**
 * Files that replace modules (vi.mock) need a module registry of their own, so they run
 * isolated, one process each. Every other file runs in the shared project: one process per
 * worker, loaded once, which halves the suite's time. Each file still gets its own database, and
 * tests/helpers/setup-database.ts restores environment stubs, globals and spies after it.
 */
function filesMockingModules(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).flatMap((name) => {
    const file = path.join(dir, name);
    return file.endsWith(".test.ts") && /\bvi\.(mock|doMock)\(/.test(fs.readFileSync(file, "utf8")) ? [file] : [];
  });
}
const isolated = filesMockingModules("tests");

export default defineConfig({
  // `server-only` marks the service and database layers; outside Next.js it is its empty module.
  resolve: { tsconfigPaths: true, alias: { "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    environment: "node",
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: one worker per core keeps PGlite boots from starving each other.
    maxWorkers: 2,
    server: { deps: { inline: ["next-auth"] } },
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-secret-that-is-at-least-32-characters-long",
      APP_URL: "http://localhost:3000",
    },
    projects: [
      { extends: true, test: { name: "shared", include, exclude: isolated, isolate: false } },
      { extends: true, test: { name: "isolated", include: isolated.filter((f) => onPostgres || !f.startsWith("tests/postgres/")) } },
    ],
  },
});

import path from "node:path";
import { defineConfig } from "vitest/config";

// tests/postgres holds what only exists on a database server (several processes on one
// database); it joins the run when TEST_DATABASE_URL points at PostgreSQL.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  // `server-only` marks the service and database layers; outside Next.js it is its empty module.
  resolve: { tsconfigPaths: true, alias: { "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    environment: "node",
    include: onPostgres
      ? ["tests/{unit,integration,authz,postgres}/**/*.test.ts"]
      : ["tests/{unit,integration,authz}/**/*.test.ts"],
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
  },
});

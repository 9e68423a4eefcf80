// End-to-end tests: real `next start` / `next dev` processes (and, later, a browser) against
// a real database. They need `next build` first; .ci/run does that.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // `server-only` marks the service and database layers; outside Next.js it is its empty module.
  resolve: { tsconfigPaths: true, alias: { "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    environment: "node",
    include: ["tests/e2e/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each test runs whole servers; in parallel they would starve two cores.
    fileParallelism: false,
  },
});

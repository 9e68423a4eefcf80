// The authorization suite: the matrix in tests/authz and the trust-model regression tests, with
// the project's test settings (database per file, env). The root config only collects
// tests/{unit,integration}, so run these with
//   npx vitest run -c tests/authz/vitest.config.ts [files]
// scripts/check-authz.ts runs the same suite against each mutant.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import base from "../../vitest.config.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default defineConfig({
  ...base,
  root,
  test: {
    ...base.test,
    include: ["tests/authz/**/*.test.ts", "tests/integration/trust-model.test.ts"],
  },
});

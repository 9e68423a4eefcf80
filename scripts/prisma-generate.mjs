// Runs `prisma generate` offline. Prisma's CLI checks for its native schema engine before
// generating and tries to download it when missing; generate never executes it, so pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download. The variable is set for
// this child process only, so `prisma migrate` on a machine with internet still fetches the
// real engine.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate", "--schema", "prisma/schema.prisma"], {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);

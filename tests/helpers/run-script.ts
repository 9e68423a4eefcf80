// Runs one of the project's TypeScript scripts in a child process, as an operator would.
import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
/** Scripts resolve `server-only` to its empty module, as `npm run <script>` does (tsconfig.scripts.json). */
export const TSX_ARGS = ["--tsconfig", path.join(ROOT, "tsconfig.scripts.json")];

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: the test's own, minus database settings the test did not ask for. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(base)) {
    if (key.startsWith("INIT_") || key === "DATABASE_URL" || key === "DATA_DIR" || key.startsWith("VITEST")) {
      delete base[key];
    }
  }
  return { ...base, ...extra };
}

export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [...TSX_ARGS, path.join(ROOT, script), ...args], { cwd: ROOT, env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

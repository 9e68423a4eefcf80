import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquirePidLock, DataDirInUseError } from "@/lib/db/pid-lock";
import { childEnv, ROOT, runScript, TSX, TSX_ARGS } from "../helpers/run-script";

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datadir-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts the holder in its own process group: `tsx` runs the script in a child node process, so
 * killing only the tsx wrapper would leave that child holding the lock after the test.
 */
function holdDataDir(dataDir: string): Promise<number> {
  const child = spawn(TSX, [...TSX_ARGS, "tests/helpers/hold-data-dir.ts"], {
    cwd: ROOT,
    env: childEnv({ DATA_DIR: dataDir }),
    detached: true,
  });
  cleanup.push(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe("embedded database directory lock", () => {
  it("refuses a second process with the pid of the first", async () => {
    const dataDir = tempDir();
    const holderPid = await holdDataDir(dataDir);
    const second = await runScript("scripts/db-migrate.ts", [], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by pid ${holderPid}`);
  });

  it("reclaims a lock left by a process that no longer runs", () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, ".pid.lock"), "999999999");
    const lock = acquirePidLock(dataDir);
    expect(fs.readFileSync(path.join(dataDir, ".pid.lock"), "utf8")).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dataDir, ".pid.lock"))).toBe(false);
  });

  it("refuses a live holder in-process too", () => {
    const dataDir = tempDir();
    // pid 1 is always alive.
    fs.writeFileSync(path.join(dataDir, ".pid.lock"), "1");
    expect(() => acquirePidLock(dataDir)).toThrow(DataDirInUseError);
    expect(() => acquirePidLock(dataDir)).toThrow(/in use by pid 1\b/);
  });
});

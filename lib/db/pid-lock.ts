// PGlite has no cross-process lock: a second process opening the same data directory would
// silently corrupt it. This file lock refuses that with a clear message instead.
import "server-only";
import fs from "node:fs";
import path from "node:path";

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by pid ${pid}. ` +
        "Stop that process first, or point DATA_DIR at another directory.",
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface PidLock {
  release(): void;
}

/** Takes `<dir>/.pid.lock` for this process, reclaiming it from a process that no longer runs. */
export function acquirePidLock(dataDir: string): PidLock {
  const file = path.join(dataDir, ".pid.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
    if (holder === process.pid) return { release: () => releaseIfOurs(file) };
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new DataDirInUseError(dataDir, holder);
    }
    // Stale lock left by a crashed process: remove it and race for it again.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

function releaseIfOurs(file: string) {
  try {
    if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file);
  } catch {
    // Already gone: nothing to release.
  }
}

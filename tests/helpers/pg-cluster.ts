// A private PostgreSQL cluster for tests that stop and start the database server (outage
// tests): Debian's initdb/pg_ctl, trust auth, listening on 127.0.0.1 only, socket and data in
// a temporary folder. initdb refuses to run as root, so as root everything runs as the
// `postgres` user. destroy() stops it (immediately) and deletes the folder.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./server";

const run = promisify(execFile);

/** bin folder of the newest PostgreSQL installed the Debian way (or PG_BIN_DIR). */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL binaries under ${root} (set PG_BIN_DIR)`);
  return path.join(root, versions[0]!, "bin");
}

export interface PgCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  dir: string;
  /** `pg_ctl stop -m fast`: waits until the server is down. */
  stop(): Promise<void>;
  /** `pg_ctl start`: waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it if running and deletes everything. Safe to call twice. */
  destroy(): Promise<void>;
  log(): string;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "confident-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const uid = Number(stdout.trim());
    const { stdout: g } = await run("id", ["-g", "postgres"]);
    fs.chownSync(dir, uid, Number(g.trim()));
  }
  const exec = (tool: string, args: string[], timeout = 60_000) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { timeout })
      : run(path.join(bin, tool), args, { timeout });

  const port = await freePort();
  await exec("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const options = [
    "-c listen_addresses=127.0.0.1",
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=50",
  ].join(" ");
  let running = false;
  const cluster: PgCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    async start() {
      await exec("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
      running = true;
    },
    async stop() {
      await exec("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
      running = false;
    },
    async destroy() {
      if (fs.existsSync(path.join(data, "postmaster.pid")) || running) {
        await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => undefined);
        running = false;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
  };
  try {
    await cluster.start();
  } catch (error) {
    const log = cluster.log();
    await cluster.destroy();
    throw new Error(`could not start PostgreSQL: ${(error as Error).message}\n${log}`);
  }
  return cluster;
}

// Starts the real app (`next start` or `next dev`) as a child process on a free port and stops
// it by pid. Used by the end-to-end tests.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { childEnv, ROOT } from "./run-script";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(
  mode: "start" | "dev",
  env: Record<string, string | undefined>,
  { waitFor = /Ready in|started server/i, port: fixedPort }: { waitFor?: RegExp; port?: number } = {},
): Promise<RunningServer> {
  const port = fixedPort ?? (await freePort());
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), mode, "-p", String(port), "-H", "127.0.0.1"],
    // APP_URL is required in production; by default it is the address the server listens on.
    { cwd: ROOT, env: childEnv({ NEXT_TELEMETRY_DISABLED: "1", APP_URL: `http://127.0.0.1:${port}`, ...env }), detached: true },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The whole process group: `next` forks a server process that would keep the port.
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 120_000;
  while (!waitFor.test(out)) {
    if (child.exitCode !== null) throw new Error(`next ${mode} exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`next ${mode} did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/** Exits with its code when the process stops by itself within the time given. */
export async function waitForExit(server: RunningServer, timeoutMs: number): Promise<number | null> {
  const child = server.child;
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// The one server secret. Production must set AUTH_SECRET; in development it is generated once
// and kept in the data directory, so sessions and encrypted outbox links survive restarts.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

export function getAuthSecret(): string {
  if (cached) return cached;
  const config = env();
  if (config.AUTH_SECRET) return (cached = config.AUTH_SECRET);
  if (config.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET is required in production");
  }
  const dir = path.resolve(config.DATA_DIR);
  const file = path.join(dir, "auth-secret");
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  cached = fs.readFileSync(file, "utf8").trim();
  return cached;
}

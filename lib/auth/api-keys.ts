// Organization API keys: `confident_org_` + 48 random hex characters. Only the SHA-256 of a
// key is stored; it is high-entropy, so a fast hash is enough and lookup is one indexed query.
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "confident_org_";

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("hex");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function lastSix(key: string): string {
  return key.slice(-6);
}

/** How a key is shown after creation: 15 `*` and its last 6 characters. */
export function redactApiKey(last6: string): string {
  return "*".repeat(15) + last6;
}

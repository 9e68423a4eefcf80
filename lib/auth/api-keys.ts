// API keys: `confident_org_` (organization) or `confident_proj_` (project) + 48 random hex
// characters. Only the SHA-256 of a key is stored; it is high-entropy, so a fast hash is enough
// and lookup is one indexed query.
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "confident_org_";
export const PROJECT_API_KEY_PREFIX = "confident_proj_";

/** The prefix tells a person (and a secret scanner) which kind of key leaked. */
export function generateApiKey(prefix: typeof API_KEY_PREFIX | typeof PROJECT_API_KEY_PREFIX = API_KEY_PREFIX): string {
  return prefix + randomBytes(24).toString("hex");
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

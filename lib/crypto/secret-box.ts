// Authenticated encryption for secrets that must wait in the database for a short while (the
// invite link in a queued email). AES-256-GCM under a key derived from AUTH_SECRET with HKDF,
// so a database dump alone never yields the secret.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getAuthSecret } from "@/lib/auth/secret";

const VERSION = "v1";

/** Derived once per purpose and secret (inviting 100 people seals 100 links). */
const keys = new Map<string, Buffer>();

function keyFor(purpose: string, secret: string): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "confident-secret-box", purpose, 32));
    if (keys.size > 16) keys.clear(); // a handful of purposes; tests rotate secrets
    keys.set(id, key);
  }
  return key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts; `purpose` binds the box to its use. */
export function seal(plaintext: string, purpose: string, secret = getAuthSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose, secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function open(box: string, purpose: string, secret = getAuthSecret()): string {
  const [version, iv, tag, body] = box.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Unrecognized secret box");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose, secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

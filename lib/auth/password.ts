// Password hashing: argon2id (the maintained @node-rs/argon2 binding) with OWASP's minimum
// parameters — 19 MiB of memory, 2 passes, 1 lane. Each stored hash carries its own parameters,
// so older hashes (scrypt with N=2^15, from before) still verify, and `needsRehash` tells the
// sign-in path to store a fresh hash once the password is known to be right.
import { scrypt, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;

export function hashPassword(password: string): Promise<string> {
  // argon2id is the binding's default algorithm.
  return hash(password.normalize("NFKC"), ARGON2);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith("$argon2")) {
    try {
      return await verify(stored, password.normalize("NFKC"));
    } catch {
      return false; // a malformed hash matches nothing
    }
  }
  return verifyLegacyScrypt(password, stored);
}

/** True for a hash made with weaker parameters or another algorithm than hashPassword uses now. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

/** `scrypt$N$r$p$salt$hash`, as stored before argon2id. */
async function verifyLegacyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expectedB64] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !expectedB64) return false;
  const expected = Buffer.from(expectedB64, "base64url");
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      Buffer.from(salt, "base64url"),
      expected.length,
      { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  ).catch(() => Buffer.alloc(0));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

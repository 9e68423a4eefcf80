// The client's network address, for per-client limits. Next.js puts the socket's address in
// X-Forwarded-For when the request has none; each trusted reverse proxy appends the address it
// saw. So the client is the entry TRUSTED_PROXY_HOPS places from the right (1: the last entry,
// right for a direct connection and for one proxy). Entries further left are the client's own
// claims and are never used.
import { env } from "@/lib/env";

export function clientAddress(headers: Headers): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = env().TRUSTED_PROXY_HOPS;
  return (chain[chain.length - hops] ?? chain[0] ?? "unknown").slice(0, 64);
}

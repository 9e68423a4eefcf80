// The contract's envelopes: HTTP 200 `{success, data, deprecated}` for every success, and
// `{success: false, error, code, deprecated}` with the right status for every failure.
// **[ours]** A GET success carries an ETag of its body; a request whose If-None-Match names it
// gets 304 with no body (the SDKs never send If-None-Match, so they always see 200).
import { hash } from "node:crypto";
import type { AppError } from "@/lib/errors";

/** A weak validator: the same JSON gives the same tag (weak, so a proxy may re-encode the bytes). */
export function etagOf(body: string): string {
  return `W/"${hash("sha1", body, "base64url")}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes do not matter. */
function noneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.slice(2);
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return (tag.startsWith("W/") ? tag.slice(2) : tag) === opaque;
  });
}

/** `request`: a GET whose answer gets an ETag and may be a 304 (leave it out for other methods). */
export function successResponse(data: unknown, headers: Headers, request?: Request): Response {
  headers.set("cache-control", "no-store");
  const body = JSON.stringify({ success: true, data, deprecated: false });
  if (request?.method === "GET") {
    const etag = etagOf(body);
    headers.set("etag", etag);
    if (noneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  }
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(body, { status: 200, headers });
}

export function errorResponse(error: AppError, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  if (error.options.retryAfterSeconds !== undefined) headers.set("retry-after", String(error.options.retryAfterSeconds));
  if (error.options.allow) headers.set("allow", error.options.allow.join(", "));
  const body = { success: false, error: error.message, code: error.code, deprecated: false };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

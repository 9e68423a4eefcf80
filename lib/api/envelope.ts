// The contract's envelopes: HTTP 200 `{success, data, deprecated}` for every success, and
// `{success: false, error, code, deprecated}` with the right status for every failure.
import type { AppError } from "@/lib/errors";

export function successResponse(data: unknown, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify({ success: true, data, deprecated: false }), { status: 200, headers });
}

export function errorResponse(error: AppError, headers: Headers): Response {
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  if (error.options.retryAfterSeconds !== undefined) headers.set("retry-after", String(error.options.retryAfterSeconds));
  if (error.options.allow) headers.set("allow", error.options.allow.join(", "));
  const body = { success: false, error: error.message, code: error.code, deprecated: false };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

// Calls route handlers in-process with a real Request, as Next.js would.
import type { RouteHandler } from "@/lib/api/route";

type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", RouteHandler>>;

export interface CallOptions {
  key?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A value to JSON-encode, or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  path?: string;
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  route: RouteModule,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  options: CallOptions = {},
): Promise<ApiResult<T>> {
  const handler = route[method];
  if (!handler) throw new Error(`route has no ${method} export`);
  const url = new URL(`http://localhost${options.path ?? "/v1/test"}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ "content-type": "application/json", ...options.headers });
  if (options.key) headers.set("CONFIDENT_API_KEY", options.key);
  const body =
    options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const response = await handler(new Request(url, { method, headers, body }), {
    params: Promise.resolve(options.params ?? {}),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  // Every successful answer must match the endpoint's declared response schema (the wrapper also
  // checks this outside production; this makes a test fail on the answer itself).
  if (response.status === 200 && handler.endpoint && parsed?.success === true) {
    const check = handler.endpoint.response.safeParse(parsed.data);
    if (!check.success) throw new Error(`${method} ${url.pathname}: answer does not match its schema: ${check.error.message}`);
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

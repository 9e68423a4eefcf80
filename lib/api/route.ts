// The one wrapper every /v1 route goes through. It fails closed: authenticate the org key and
// count it against the rate limit, parse path, query and body with the endpoint's schemas,
// call one service, and write the envelope (a GET's with its ETag, or 304 when the client has
// it). Anything unexpected becomes a generic 500 that names the request id (the stack goes to
// the log, never to the client).
import type { z } from "zod";
import { env } from "@/lib/env";
import { AppError, fromDatabaseError } from "@/lib/errors";
import { log } from "@/lib/log";
import { authenticateApiKey } from "@/lib/services/api-key-auth";
import type { ServiceContext } from "@/lib/services/context";
import { errorResponse, successResponse } from "./envelope";
import { apiKeyOf, parseWith, readJsonBody, requestIdOf } from "./request";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Endpoint {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /v1/organization/invitations/{invitationId}. */
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<E extends Endpoint> {
  ctx: ServiceContext;
  params: Out<E["params"]>;
  query: Out<E["query"]>;
  body: Out<E["body"]>;
  request: Request;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = ((request: Request, context: RouteContext) => Promise<Response>) & { endpoint?: Endpoint };

function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  const mapped = fromDatabaseError(error);
  if (mapped) {
    if (mapped.code === "unavailable") log.warn("Database unavailable", { requestId, error: (error as Error).message });
    return mapped;
  }
  log.error("Unhandled error", { requestId, stack: error instanceof Error ? error.stack : String(error) });
  return new AppError("internal", `Internal server error (request id ${requestId})`);
}

/**
 * Outside production every answer is parsed with the endpoint's declared response schema, so a
 * shape built elsewhere (e.g. straight from SQL) cannot drift from the contract unnoticed: a
 * mismatch is a loud 500 in development and fails the tests. Production skips the cost.
 */
function assertMatchesContract(endpoint: Endpoint, data: unknown, requestId: string) {
  if (env().NODE_ENV === "production") return;
  const result = endpoint.response.safeParse(data);
  if (result.success) return;
  log.error("Response does not match its declared schema", {
    requestId,
    endpoint: `${endpoint.method} ${endpoint.path}`,
    issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
  });
  throw new Error(`Response of ${endpoint.method} ${endpoint.path} does not match its declared schema`);
}

function rateHeaders(headers: Headers, rate: { limit: number; remaining: number; resetSeconds: number }) {
  headers.set("ratelimit-limit", String(rate.limit));
  headers.set("ratelimit-remaining", String(rate.remaining));
  headers.set("ratelimit-reset", String(rate.resetSeconds));
}

export function apiRoute<E extends Endpoint>(endpoint: E, handler: (input: HandlerInput<E>) => Promise<unknown>): RouteHandler {
  const route: RouteHandler = async (request, context) => {
    const requestId = requestIdOf(request);
    const headers = new Headers({ "x-request-id": requestId });
    try {
      let ctx: ServiceContext | undefined;
      if (endpoint.auth) {
        const key = apiKeyOf(request);
        const config = env();
        const limits = { perKey: config.RATE_LIMIT_PER_MINUTE, perOrganization: config.RATE_LIMIT_ORG_PER_MINUTE };
        const auth = key ? await authenticateApiKey(key, limits) : null;
        if (!auth) throw new AppError("unauthorized", "Missing or invalid API key");
        rateHeaders(headers, auth.rate);
        // Project keys are for a project's data APIs; managing anything takes an organization key.
        if (auth.projectId) throw new AppError("forbidden", "This endpoint needs an organization API key");
        if (auth.rate.exceeded) {
          throw new AppError("rate_limited", `Rate limit of ${auth.rate.limit} requests per minute exceeded`, {
            retryAfterSeconds: auth.rate.resetSeconds,
          });
        }
        ctx = { actor: auth.actor, requestId };
      }
      const params = endpoint.params ? parseWith(endpoint.params, await context.params, "path") : undefined;
      const query = endpoint.query
        ? parseWith(endpoint.query, Object.fromEntries(new URL(request.url).searchParams), "query")
        : undefined;
      const body = endpoint.body ? parseWith(endpoint.body, await readJsonBody(request), "body") : undefined;
      const data = await handler({ ctx: ctx!, params, query, body, request } as HandlerInput<E>);
      assertMatchesContract(endpoint, data, requestId);
      return successResponse(data, headers, request.method === "GET" ? request : undefined);
    } catch (error) {
      return errorResponse(toAppError(error, requestId), headers);
    }
  };
  route.endpoint = endpoint;
  return route;
}

/** A response in the envelope for requests no route handles (unknown path, wrong method). */
export function errorRoute(error: () => AppError): RouteHandler {
  return async (request) => errorResponse(error(), new Headers({ "x-request-id": requestIdOf(request) }));
}

const ALL_METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every HTTP method for a route file: the given handlers, and 405 in the envelope for the rest. */
export function routeMethods(handlers: Partial<Record<HttpMethod, RouteHandler>>): Record<HttpMethod, RouteHandler> {
  const allow = ALL_METHODS.filter((m) => handlers[m]);
  const notAllowed = errorRoute(
    () => new AppError("method_not_allowed", `Method not allowed; this path accepts ${allow.join(", ")}`, { allow }),
  );
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handlers[m] ?? notAllowed])) as Record<HttpMethod, RouteHandler>;
}

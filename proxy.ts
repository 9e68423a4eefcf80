// Runs before routing (Next.js 16's "proxy", formerly middleware), on the Node.js runtime.
// 1. Paths whose percent-encoding is not UTF-8: Next.js would fail to decode the route params
//    and answer a bare plain-text 500 before any handler runs. The API answers the contract's
//    400 envelope instead; pages see the raw text as their param (so /invite/%ff is an unknown
//    token and shows the ordinary "no longer valid" page).
// 2. Per-request headers: the page CSP with a fresh nonce (Next.js reads it from the request's
//    Content-Security-Policy header and puts it on its scripts), and HSTS for an https APP_URL.
import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/envelope";
import { requestIdOf } from "@/lib/api/request";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** The path with every undecodable segment's "%" escaped, so that it decodes to its raw text. */
function withLiteralPercents(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (decodes(segment) ? segment : segment.replaceAll("%", "%25")))
    .join("/");
}

const isV1 = (pathname: string) => pathname === "/v1" || pathname.startsWith("/v1/");
// Routes that need no page CSP: JSON and Auth.js endpoints hand out no nonce, and the
// development email preview (framed by /dev/emails) sends HTML with a CSP of its own, which
// a page CSP would replace. Their static headers still come from next.config.mjs.
const noPagePolicy = (pathname: string) =>
  isV1(pathname) || pathname.startsWith("/api/") || /^\/dev\/emails\/[^/]+$/.test(pathname);

export function proxy(request: NextRequest) {
  const config = env();
  const https = config.APP_URL.startsWith("https://");
  const { pathname } = request.nextUrl;
  const repaired = withLiteralPercents(pathname);

  let response: Response;
  if (repaired !== pathname && isV1(pathname)) {
    const error = new AppError("bad_request", "The request path is not valid percent-encoded UTF-8");
    response = errorResponse(error, new Headers({ "x-request-id": requestIdOf(request) }));
  } else if (noPagePolicy(pathname)) {
    response = repaired === pathname ? NextResponse.next() : NextResponse.rewrite(rewriteTo(request, repaired));
  } else {
    const csp = contentSecurityPolicy({ nonce: newNonce(), dev: config.NODE_ENV === "development", https });
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response =
      repaired === pathname
        ? NextResponse.next({ request: { headers } })
        : NextResponse.rewrite(rewriteTo(request, repaired), { request: { headers } });
    response.headers.set("content-security-policy", csp);
  }
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

function rewriteTo(request: NextRequest, pathname: string): URL {
  const url = request.nextUrl.clone();
  url.pathname = pathname;
  return url;
}

export const config = {
  // Everything but build assets (hashed, immutable, served with their own content types).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

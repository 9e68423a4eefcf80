// Where to send someone after signing in: only a path inside this app. Absolute URLs to other
// hosts, protocol-relative "//evil.com", and backslash tricks all fall back to "/". Absolute URLs
// on one of this app's own origins (the request's, APP_URL's) are reduced to their path.
export function safeCallbackPath(
  url: string | null | undefined,
  baseUrl = "http://localhost",
  ownOrigins: string[] = [],
): string {
  if (!url) return "/";
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    const allowed = new Set([base.origin, ...ownOrigins.map((o) => new URL(o).origin)]);
    if (!allowed.has(target.origin)) return "/";
    const path = `${target.pathname}${target.search}${target.hash}`;
    return path.startsWith("/") && !path.startsWith("//") ? path : "/";
  } catch {
    return "/";
  }
}

// Where to send someone after signing in: only a path inside this app. Absolute URLs to other
// hosts, protocol-relative "//evil.com", and backslash tricks all fall back to "/".
export function safeCallbackPath(url: string | null | undefined, baseUrl = "http://localhost"): string {
  if (!url) return "/";
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    if (target.origin !== base.origin) return "/";
    const path = `${target.pathname}${target.search}${target.hash}`;
    return path.startsWith("/") && !path.startsWith("//") ? path : "/";
  } catch {
    return "/";
  }
}

// The headers that depend on the request or on runtime configuration, for proxy.ts. Pure (no
// env reads) so it runs in any runtime and tests need no server. The static ones (nosniff,
// X-Frame-Options, Referrer-Policy, Permissions-Policy) are in next.config.mjs, which puts them
// on every response, static files included.

/** 128 random bits, base64: a fresh one per page request, so an injected script cannot guess it. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export interface PolicyOptions {
  nonce: string;
  /** `next dev`: React's dev tooling evaluates code (server stack reconstruction). */
  dev: boolean;
  /** APP_URL is https: a stray http:// sub-resource is upgraded rather than loaded in clear. */
  https: boolean;
}

/**
 * The page CSP. Scripts: only those carrying this request's nonce, which Next.js adds to its
 * own tags, and what they load ('strict-dynamic'). Styles allow 'unsafe-inline' because our
 * markup uses style attributes, which nonces cannot cover; injected CSS cannot run script.
 */
export function contentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Two years: browsers then refuse plain http to this host. Only ever sent for an https APP_URL. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

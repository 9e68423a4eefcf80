// Headers every response carries, static files included. The ones that vary per request or
// with runtime configuration (the page CSP's nonce, HSTS for an https APP_URL) are set in
// proxy.ts: this file's headers are fixed when the app is built.
const SECURITY_HEADERS = [
  // Responses are what their Content-Type says, never sniffed into HTML or script.
  { key: "X-Content-Type-Options", value: "nosniff" },
  // No framing (clickjacking); the CSP's frame-ancestors says the same to newer browsers.
  { key: "X-Frame-Options", value: "DENY" },
  // Invitation and sign-in links carry secrets in their path or query: never leak them to other sites.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // The app needs none of these powerful features; a compromised page cannot ask for them either.
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), " +
      "midi=(), display-capture=(), screen-wake-lock=(), publickey-credentials-get=(), browsing-topics=()",
  },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers stay plain Node modules: bundling would copy PGlite's wasm into static
  // files and break pg's optional native bindings.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // Lets benchmarks and parallel test runs build into their own folder (default .next).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      // Development's email preview (/dev/emails) frames each template's HTML from this route;
      // a later rule for the same header wins.
      { source: "/dev/emails/:kind", headers: [{ key: "X-Frame-Options", value: "SAMEORIGIN" }] },
    ];
  },
};

export default nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers stay plain Node modules: bundling would copy PGlite's wasm into static
  // files and break pg's optional native bindings.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // Lets benchmarks and parallel test runs build into their own folder (default .next).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;

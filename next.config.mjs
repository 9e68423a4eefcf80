/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers stay plain Node modules: bundling would copy PGlite's wasm into static
  // files and break pg's optional native bindings.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;

// Configuration for the Prisma CLI (prisma generate; and migrate deploy/status/diff on machines
// where it can fetch its native engine). The app itself does not read this file.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});

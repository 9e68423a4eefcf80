import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { setDatabase } from "@/lib/db";
import { openPostgres } from "@/lib/db/open";
import { readMigrations } from "@/lib/db/migrate";
import { testDatabase } from "../helpers/setup-database";
import { usingPostgres } from "../helpers/test-db";

describe("GET /api/health", () => {
  afterEach(() => setDatabase(testDatabase().db));

  it("names the database and counts the applied migrations", async () => {
    const response = await GET(new Request("http://localhost/api/health"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      status: "ok",
      database: usingPostgres() ? "postgres" : "pglite",
      migrations: readMigrations().length,
    });
  });

  it("answers 503 with a clear message when the database is unreachable", async () => {
    // Nothing listens on port 1: connecting fails at once.
    const unreachable = openPostgres("postgres://nobody@127.0.0.1:1/none", 1);
    setDatabase(unreachable);
    try {
      const response = await GET(new Request("http://localhost/api/health"));
      expect(response.status).toBe(503);
      expect(response.headers.get("x-request-id")).toBeTruthy();
      expect(await response.json()).toEqual({
        status: "unavailable",
        database: "postgres",
        error: "The database is unreachable",
      });
    } finally {
      await unreachable.close();
    }
  });
});

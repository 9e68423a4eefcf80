import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { runScript } from "../helpers/run-script";

function problemsOf(vars: Record<string, string>) {
  try {
    parseEnv(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("configuration", () => {
  it("applies defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({
      NODE_ENV: "development",
      DATA_DIR: ".data",
      DATABASE_POOL_MAX: 10,
      APP_URL: "http://localhost:3000",
    });
  });

  it("accepts postgres:// and postgresql:// URLs and treats an empty value as unset", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@h:5432/db" }).DATABASE_URL).toBe("postgres://u@h:5432/db");
    expect(parseEnv({ DATABASE_URL: "postgresql://h/db" }).DATABASE_URL).toBe("postgresql://h/db");
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names the variable and what is expected", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://root@localhost/app" })).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a postgres:\/\/ URL/),
    ]);
    expect(problemsOf({ APP_URL: "localhost:3000" })[0]).toMatch(/^APP_URL must be an http/);
    expect(problemsOf({ DATABASE_POOL_MAX: "lots" })[0]).toMatch(/^DATABASE_POOL_MAX must be a whole number/);
    expect(problemsOf({ INIT_ORG_PLAN: "GOLD" })[0]).toMatch(/^INIT_ORG_PLAN must be one of TRIAL, FREE/);
    expect(problemsOf({ INIT_ORG_API_KEY: "sk_live_123" })[0]).toMatch(/^INIT_ORG_API_KEY must look like confident_org_/);
    expect(problemsOf({ INIT_USER_EMAIL: "not-an-email" })[0]).toMatch(/^INIT_USER_EMAIL must be an email/);
  });

  it("reports every problem at once", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://x", NODE_ENV: "staging" })).toHaveLength(2);
  });

  it("requires AUTH_SECRET in production, and a long one", () => {
    const url = { APP_URL: "https://confident.example.com" };
    expect(problemsOf({ NODE_ENV: "production", ...url })[0]).toMatch(/^AUTH_SECRET is required in production/);
    expect(problemsOf({ NODE_ENV: "production", AUTH_SECRET: "short", ...url })[0]).toMatch(/^AUTH_SECRET must be at least 32/);
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), ...url }).AUTH_SECRET).toHaveLength(32);
  });

  it("reports every problem at once, production requirements together with invalid values", () => {
    expect(problemsOf({ NODE_ENV: "production", DATABASE_URL: "mysql://x", RATE_LIMIT_PER_MINUTE: "lots" })).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a postgres/),
      expect.stringMatching(/^RATE_LIMIT_PER_MINUTE must be a whole number/),
      expect.stringMatching(/^APP_URL is required in production/),
      expect.stringMatching(/^AUTH_SECRET is required in production/),
    ]);
    expect(problemsOf({ INIT_USER_PASSWORD: "short-pw1" })).toEqual([
      "INIT_USER_PASSWORD must be at least 10 characters (the same rule as sign-up)",
    ]);
  });

  it("requires APP_URL in production (links are built from it); elsewhere it defaults to this machine's port", () => {
    const secret = { AUTH_SECRET: "x".repeat(32) };
    expect(problemsOf({ NODE_ENV: "production", ...secret })).toEqual([expect.stringMatching(/^APP_URL is required in production/)]);
    expect(parseEnv({ NODE_ENV: "production", APP_URL: "https://c.example.com/", ...secret }).APP_URL).toBe("https://c.example.com");
    expect(parseEnv({ NODE_ENV: "development" }).APP_URL).toBe("http://localhost:3000");
    expect(parseEnv({ NODE_ENV: "development", PORT: "3100" }).APP_URL).toBe("http://localhost:3100");
    expect(problemsOf({ NODE_ENV: "development", APP_URL: "ftp://x" })).toEqual([expect.stringMatching(/^APP_URL must be an http/)]);
  });

  it("names DATABASE_URL's server (never its password) when the database cannot be reached", async () => {
    const result = await runScript("scripts/db-migrate.ts", [], { DATABASE_URL: "postgres://app:s3cret-pw@127.0.0.1:1/confident" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot reach PostgreSQL at 127.0.0.1:1 (database confident), named by DATABASE_URL (ECONNREFUSED)");
    expect(result.stderr + result.stdout).not.toContain("s3cret-pw");
  });

  it("stops a process at startup with the variable named", async () => {
    const result = await runScript("scripts/db-migrate.ts", [], { DATABASE_URL: "mysql://root@localhost/app" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DATABASE_URL must be a postgres:// URL");
  });
});

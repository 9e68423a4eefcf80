// The only reader of process.env. Every setting is validated here with zod, so a wrong value
// fails at startup with a message naming the variable, instead of surfacing later as a
// confusing runtime error.
import { z } from "zod";
import { isEmailAddress } from "./validation/email";

const PLANS = ["TRIAL", "FREE", "STARTER", "TEAM", "PREMIUM", "ENTERPRISE"] as const;
const API_KEY_PATTERN = /^confident_org_[0-9a-f]{32,}$/;
/** Also the sign-up rule (lib/services/accounts.ts imports it from here). */
export const MIN_PASSWORD_LENGTH = 10;

/** Empty strings count as "not set": `.env` files often carry `FOO=` placeholders. */
const unsetIfEmpty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(unsetIfEmpty, z.string().optional());

function intVar(name: string, min: number, max: number, fallback: number) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? String(fallback) : v),
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number between ${min} and ${max}`)
      .transform(Number)
      .refine((n) => n >= min && n <= max, `${name} must be a whole number between ${min} and ${max}`),
  );
}

function booleanVar(name: string) {
  return z.preprocess(
    (v) => (unsetIfEmpty(v) ?? "false").toString().toLowerCase(),
    z.enum(["true", "false", "1", "0"], { error: `${name} must be true or false` }).transform((v) => v === "true" || v === "1"),
  );
}

const EnvSchema = z
  .object({
    NODE_ENV: z.preprocess(
      (v) => v ?? "development",
      z.enum(["development", "production", "test"], {
        error: "NODE_ENV must be development, production or test",
      }),
    ),
    DATABASE_URL: optionalString.refine(
      (v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(v),
      "DATABASE_URL must be a postgres:// URL (leave it unset to use the embedded database)",
    ),
    DATA_DIR: optionalString.transform((v) => v ?? ".data"),
    DATABASE_POOL_MAX: intVar("DATABASE_POOL_MAX", 1, 100, 10),
    AUTH_SECRET: optionalString.refine(
      (v) => v === undefined || v.length >= 32,
      "AUTH_SECRET must be at least 32 characters (generate one with: openssl rand -base64 32)",
    ),
    // Next.js sets PORT for the server it starts (`next dev -p 3100`, `PORT=3100 npm run dev`).
    PORT: z.preprocess(unsetIfEmpty, z.string().regex(/^\d{1,5}$/, "PORT must be a port number").optional()),
    // Unset is allowed outside production only; the default is filled in below from PORT.
    APP_URL: optionalString
      .refine((v) => {
        if (v === undefined) return true;
        try {
          const url = new URL(v);
          return url.protocol === "http:" || url.protocol === "https:";
        } catch {
          return false;
        }
      }, "APP_URL must be an http:// or https:// URL, e.g. https://confident.example.com")
      .transform((v) => v?.replace(/\/+$/, "")),
    INVITATION_TTL_DAYS: intVar("INVITATION_TTL_DAYS", 1, 365, 7),
    INVITATION_RESEND_COOLDOWN_SECONDS: intVar("INVITATION_RESEND_COOLDOWN_SECONDS", 0, 86_400, 60),
    RATE_LIMIT_PER_MINUTE: intVar("RATE_LIMIT_PER_MINUTE", 1, 1_000_000, 300),
    RATE_LIMIT_ORG_PER_MINUTE: intVar("RATE_LIMIT_ORG_PER_MINUTE", 1, 1_000_000, 1000),
    // Abuse limits outside the API (lib/services/throttles.ts); every counter lives in the database.
    SIGNIN_ATTEMPTS_PER_ACCOUNT: intVar("SIGNIN_ATTEMPTS_PER_ACCOUNT", 1, 100_000, 10),
    SIGNIN_ATTEMPTS_PER_CLIENT: intVar("SIGNIN_ATTEMPTS_PER_CLIENT", 1, 1_000_000, 50),
    EMAILS_PER_ADDRESS_PER_HOUR: intVar("EMAILS_PER_ADDRESS_PER_HOUR", 1, 100_000, 5),
    EMAILS_PER_CLIENT_PER_HOUR: intVar("EMAILS_PER_CLIENT_PER_HOUR", 1, 1_000_000, 20),
    INVITATIONS_PER_DAY_TRIAL: intVar("INVITATIONS_PER_DAY_TRIAL", 1, 1_000_000, 50),
    INVITATIONS_PER_DAY: intVar("INVITATIONS_PER_DAY", 1, 10_000_000, 500),
    API_KEYS_PER_ORG: intVar("API_KEYS_PER_ORG", 1, 100_000, 50),
    // How many reverse proxies in front of the app append to X-Forwarded-For: the client address
    // is the entry that many places from the right (1 also suits a direct connection).
    TRUSTED_PROXY_HOPS: intVar("TRUSTED_PROXY_HOPS", 1, 10, 1),
    RESEND_API_KEY: optionalString,
    RESEND_BASE_URL: optionalString.refine(
      (v) => v === undefined || /^https?:\/\/\S+$/.test(v),
      "RESEND_BASE_URL must be an http(s) URL",
    ),
    RESEND_WEBHOOK_SECRET: optionalString.refine(
      (v) => v === undefined || /^whsec_[A-Za-z0-9+/=]+$/.test(v),
      "RESEND_WEBHOOK_SECRET must be the whsec_… signing secret shown by Resend",
    ),
    EMAIL_FROM: optionalString
      .transform((v) => v ?? "Confident <no-reply@confident.localhost>")
      .refine((v) => /^(.+<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/.test(v.trim()), {
        message: 'EMAIL_FROM must be an address, e.g. "Acme <invites@acme.com>" or invites@acme.com',
      }),
    EMAIL_WORKER: z.preprocess(
      (v) => unsetIfEmpty(v) ?? "on",
      z.enum(["on", "off"], { error: "EMAIL_WORKER must be on or off" }),
    ),
    EMAIL_SEND_TIMEOUT_MS: intVar("EMAIL_SEND_TIMEOUT_MS", 100, 120_000, 10_000),
    EMAIL_MAX_ATTEMPTS: intVar("EMAIL_MAX_ATTEMPTS", 1, 50, 8),
    AUTH_URL: optionalString.refine((v) => {
      if (v === undefined) return true;
      try {
        return ["http:", "https:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, "AUTH_URL must be the app's public http(s) URL, e.g. https://confident.example.com"),
    AUTH_DISABLE_SIGNUP: booleanVar("AUTH_DISABLE_SIGNUP"),
    DISABLE_ORG_CREATION: booleanVar("DISABLE_ORG_CREATION"),
    INIT_ORG_NAME: optionalString.refine(
      (v) => v === undefined || v.trim().length <= 100,
      "INIT_ORG_NAME must be at most 100 characters",
    ),
    INIT_ORG_PLAN: z.preprocess(
      unsetIfEmpty,
      z.enum(PLANS, { error: `INIT_ORG_PLAN must be one of ${PLANS.join(", ")}` }).optional(),
    ),
    INIT_USER_EMAIL: optionalString.refine(
      (v) => v === undefined || isEmailAddress(v),
      "INIT_USER_EMAIL must be an email address",
    ),
    INIT_USER_PASSWORD: optionalString.refine(
      (v) => v === undefined || v.length >= MIN_PASSWORD_LENGTH,
      `INIT_USER_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters (the same rule as sign-up)`,
    ),
    INIT_PROJECT_NAME: optionalString.refine(
      (v) => v === undefined || (v.trim().length >= 1 && v.trim().length <= 100),
      "INIT_PROJECT_NAME must be 1 to 100 characters",
    ),
    INIT_ORG_API_KEY: optionalString.refine(
      (v) => v === undefined || API_KEY_PATTERN.test(v),
      "INIT_ORG_API_KEY must look like confident_org_ followed by at least 32 lower-case hex characters",
    ),
  });

const isUnset = (v: string | undefined) => v === undefined || v.trim() === "";

/**
 * What production needs beyond valid values. Checked on the raw variables, apart from the schema,
 * so a missing AUTH_SECRET is reported together with any invalid value (zod skips refinements of
 * an object whose fields failed, which made problems appear one round at a time).
 */
function productionProblems(source: Record<string, string | undefined>): string[] {
  if ((source.NODE_ENV ?? "development") !== "production") return [];
  const problems: string[] = [];
  if (isUnset(source.APP_URL) && !isBuildPhase()) {
    problems.push(
      "APP_URL is required in production: the public URL every emailed link and redirect is built from, " +
        "e.g. APP_URL=https://confident.example.com",
    );
  }
  if (isUnset(source.AUTH_SECRET)) {
    problems.push("AUTH_SECRET is required in production (generate one with: openssl rand -base64 32)");
  }
  return problems;
}

export type Env = Omit<z.infer<typeof EnvSchema>, "APP_URL"> & {
  /** The app's public origin (no trailing slash): every link mailed or redirected to starts here. */
  APP_URL: string;
};
export type PlanName = (typeof PLANS)[number];
export { PLANS };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses a variable set (process.env by default); throws ConfigError listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  const problems = [...(result.success ? [] : result.error.issues.map((issue) => issue.message)), ...productionProblems(source)];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const data = result.data;
  // Outside production a missing APP_URL means this machine, on the port the server listens on.
  return { ...data, APP_URL: data.APP_URL ?? `http://localhost:${data.PORT ?? "3000"}` };
}

let cached: Env | undefined;

/** The validated configuration of this process, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forgets the parsed configuration so the next env() re-reads it (tests that change variables). */
export function reloadEnv() {
  cached = undefined;
}

/**
 * Auth.js reads AUTH_URL from process.env on every request to know its own origin; without it,
 * it trusts the request's Host / X-Forwarded-Host, and a forged header would put another site
 * into the sign-in links we mail (contract §5). Pin it to the configured origin.
 */
export function pinAuthUrl() {
  const config = env();
  process.env.AUTH_URL = config.AUTH_URL ?? config.APP_URL;
}

/** True while `next build` is collecting pages: nothing may open the database then. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}

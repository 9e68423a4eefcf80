// Lint: Next.js's rules (core web vitals), typescript-eslint's recommended set, and the rules that
// say how this codebase is layered (see STYLE.md): configuration is read only in lib/env.ts; pages,
// route files and server actions reach the database only through services; every module of the
// service and database layers is marked server-only.
import next from "eslint-config-next";
import tseslint from "typescript-eslint";

const PROCESS_ENV = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Read configuration through env() from lib/env.ts, the only reader of process.env.",
};

/** Our own rule: a module of lib/services or lib/db starts by importing the `server-only` marker. */
const layering = {
  rules: {
    "server-only": {
      meta: {
        type: "problem",
        messages: {
          missing:
            'Import "server-only" first: this layer holds database access and secrets, so a client bundle must fail to build if it ever imports it.',
        },
        schema: [],
      },
      create(context) {
        return {
          Program(program) {
            const marked = program.body.some((node) => node.type === "ImportDeclaration" && node.source.value === "server-only");
            if (!marked) context.report({ node: program, loc: { line: 1, column: 0 }, messageId: "missing" });
          },
        };
      },
    },
  },
};

const config = [
  { ignores: [".next/**", ".next-*/**", "lib/generated/**", "node_modules/**", "test-results/**", "next-env.d.ts"] },
  ...next,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-restricted-syntax": ["error", PROCESS_ENV],
    },
  },
  {
    // Framework constants and harnesses, not app configuration: NEXT_RUNTIME must be read where
    // Next.js compiles it away (instrumentation.ts); next.config.mjs picks its build folder; the
    // Prisma generate wrapper hands the environment to its child; tests, benches and CI scripts
    // set up the processes they start.
    files: ["lib/env.ts", "instrumentation.ts", "next.config.mjs", "scripts/**", "tests/**", "vitest*.config.ts", "prisma.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ["tests/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}", "lib/actions/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@/lib/db", message: "Pages, routes and actions call services; only lib/services and lib/db touch the database." }],
          // lib/db/system-roles holds the fixed role ids, plain constants.
          patterns: [
            { group: ["@/lib/generated/*", "@/lib/db/*", "!@/lib/db/system-roles"], message: "Pages, routes and actions call services, not Prisma." },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        PROCESS_ENV,
        {
          selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)$/]",
          message: "Raw SQL and transactions belong in lib/services.",
        },
      ],
    },
  },
  {
    // Fixed role ids are plain constants that pages and forms also use.
    files: ["lib/services/**/*.ts", "lib/db/**/*.ts"],
    ignores: ["lib/db/system-roles.ts"],
    plugins: { layering },
    rules: { "layering/server-only": "error" },
  },
];

export default config;

// Scripts run outside Next.js, so load .env files with Next's own loader: the same files and
// precedence as the app (.env, .env.local, .env.<mode>, ...). Import this module first.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd());

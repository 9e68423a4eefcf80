// Next.js calls register() once when a server starts. NEXT_RUNTIME is a framework constant
// (not configuration), read here so the Node-only boot code never enters the edge bundle.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isBuildPhase } = await import("./lib/env");
  if (isBuildPhase()) return;
  const { boot } = await import("./lib/boot");
  try {
    await boot();
  } catch (error) {
    // Configuration, migration and lock errors carry operator-facing messages; anything
    // else gets its stack. Either way a half-started server must not serve requests.
    const known = error instanceof Error && /ConfigError|MigrationError|DataDirInUseError/.test(error.name);
    console.error(`\n[confident] FATAL ${known ? (error as Error).message : (error as Error)?.stack ?? error}\n`);
    process.exit(1);
  }
}

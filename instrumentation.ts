// Next.js calls register() once when a server starts. NEXT_RUNTIME is a framework constant
// (not configuration), read here so the Node-only boot code never enters the edge bundle.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootOrExit } = await import("./lib/boot");
  await bootOrExit();
}

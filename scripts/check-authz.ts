// npm run check:authz — a mutation check of the permission gate. Every call of an assert* check
// in lib/services (their definitions in permissions.ts aside) is disabled in turn, and the
// authorization tests (tests/authz + tests/integration/trust-model.test.ts) must then fail: a
// check no test misses is a check nothing protects from being deleted by accident.
//
// The working tree is never touched: the project is copied to a temporary directory
// (node_modules symlinked), each mutant is written and tested there, and the copy is removed at
// the end, also on failure or Ctrl-C. Tests run on PGlite, one mutant after the other.
//
//   npm run check:authz               one line per check, then the summary
//   npm run check:authz -- --verbose  also names the first test that caught each mutant
//   npm run check:authz -- --list     only lists the checks found
//   npm run check:authz -- FILE...    runs only these test files (while writing a test)
//
// To keep this quick, a mutant meets the suite in growing rings and stops at the first failing
// test: the matrix rows named after the service function holding the check (rows start with the
// function's name), then all of tests/authz, then the whole suite with the slow trust-model file.
// Every ring is part of the suite, so a mutant counts as guarded exactly when some test of the
// suite fails on it, and as unguarded only once the whole suite has passed on it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { TABLE } from "../tests/authz/expectations";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SERVICES = "lib/services";
const DEFINITIONS = "lib/services/permissions.ts";
const CHECKS = new Set([
  "assertCan",
  "assertHoldsAll",
  "assertCanGrantRole",
  "assertCanActOnRole",
  "assertActsAsOwner",
  "assertNotOwner",
]);
/** Top-level entries not copied: dependencies (symlinked instead), build output, local data. */
const NOT_COPIED = [/^node_modules$/, /^\.next/, /^\.data$/, /^test-results$/, /^\.git$/];
const VITEST_ARGS = ["run", "-c", "tests/authz/vitest.config.ts", "--no-cache", "--reporter=json"];
const verbose = process.argv.includes("--verbose");
const listOnly = process.argv.includes("--list");
const onlyFiles = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const FAST_PATH = ["tests/authz/"];

interface CallSite {
  file: string;
  line: number;
  /** The replaced span: the call, with its `await` when it has one. */
  start: number;
  end: number;
  /** The call as one line, for the report. */
  text: string;
  /** The named function the call is in (the service function, or a helper of it). */
  inFunction: string | undefined;
}

function serviceFiles(dir = path.join(ROOT, SERVICES)): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serviceFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(ROOT, full)] : [];
  });
}

function enclosingFunction(node: ts.Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionDeclaration(n) && n.name) return n.name.text;
  return undefined;
}

/** Every call of a check function, found by the TypeScript parser (so comments and strings never match). */
function findCallSites(): CallSite[] {
  const sites: CallSite[] = [];
  for (const file of serviceFiles().filter((f) => f !== DEFINITIONS).sort()) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && CHECKS.has(node.expression.text)) {
        const span = ts.isAwaitExpression(node.parent) ? node.parent : node;
        const start = span.getStart(source);
        sites.push({
          file,
          line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
          start,
          end: span.getEnd(),
          text: node.getText(source).replace(/\s+/g, " ").replace(/\(\s/g, "(").replace(/,?\s\)/g, ")"),
          inFunction: enclosingFunction(node),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

let workDir: string | undefined;
let child: ChildProcess | undefined;

function cleanUp() {
  if (child && child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-authz-"));
  fs.cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const top = path.relative(ROOT, src).split(path.sep)[0] ?? "";
      return !NOT_COPIED.some((pattern) => pattern.test(top));
    },
  });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

interface RunResult {
  /** Tests that failed (with --bail=1 the run stops soon after the first). */
  failed: string[];
  /** Files that could not run at all (a syntax error, a crash): not a test catching a mutant. */
  broken: string[];
  exitCode: number;
  output: string;
}

interface JsonReport {
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

function runTests(dir: string, extra: string[]): Promise<RunResult> {
  const outputFile = path.join(dir, ".check-authz-result.json");
  fs.rmSync(outputFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
  delete env.TEST_DATABASE_URL; // PGlite: nothing shared, nothing left behind
  return new Promise((resolve, reject) => {
    let output = "";
    // Its own process group, so a Ctrl-C here can stop vitest and its workers together.
    const proc = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", ...VITEST_ARGS, `--outputFile=${outputFile}`, ...extra], {
      cwd: dir,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.on("error", reject);
    proc.on("close", (code) => {
      child = undefined;
      let report: JsonReport = {};
      try {
        report = JSON.parse(fs.readFileSync(outputFile, "utf8")) as JsonReport;
      } catch {
        // no report: the run itself failed, which `broken` below records
      }
      const files = report.testResults ?? [];
      const failed = files.flatMap((f) =>
        (f.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${path.relative(dir, f.name)} > ${a.fullName}`),
      );
      const broken = files
        .filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"))
        .map((f) => `${path.relative(dir, f.name)}: ${f.message ?? "failed to run"}`);
      if (files.length === 0) broken.push("no test report");
      resolve({ failed, broken, exitCode: code ?? 1, output });
    });
  });
}

/** The vitest arguments of each ring a mutant meets, smallest first (see the top of this file). */
function rings(site: CallSite): string[][] {
  if (onlyFiles.length > 0) return [onlyFiles];
  const fn = site.inFunction;
  const named = fn !== undefined && Object.keys(TABLE).some((row) => row.startsWith(`${fn} `));
  return [...(named ? [[...FAST_PATH, "-t", `^${fn} `]] : []), FAST_PATH, []];
}

function seconds(since: number) {
  return `${((Date.now() - since) / 1000).toFixed(0)} s`;
}

async function main() {
  const started = Date.now();
  const sites = findCallSites();
  if (sites.length === 0) throw new Error(`No calls of ${[...CHECKS].join(", ")} found in ${SERVICES}`);
  if (listOnly) {
    for (const site of sites) console.log(`${site.file}:${site.line} ${site.text}`);
    return 0;
  }
  workDir = copyProject();
  console.log(`${sites.length} checks in ${SERVICES}; testing in ${workDir}`);

  const baseline = await runTests(workDir, onlyFiles);
  if (baseline.exitCode !== 0 || baseline.failed.length > 0 || baseline.broken.length > 0) {
    console.error("The authorization tests fail without any mutation; fix them first:");
    for (const line of [...baseline.failed, ...baseline.broken]) console.error(`  ${line}`);
    if (baseline.failed.length + baseline.broken.length === 0) console.error(baseline.output.slice(-4000));
    return 2;
  }
  console.log(`unmutated suite passes (${seconds(started)})`);

  let guarded = 0;
  for (const site of sites) {
    const file = path.join(workDir, site.file);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.slice(0, site.start) + "undefined" + original.slice(site.end));
    let result: RunResult | undefined;
    try {
      for (const ring of rings(site)) {
        result = await runTests(workDir, ["--bail=1", ...ring]);
        if (result.failed.length > 0) break;
      }
    } finally {
      fs.writeFileSync(file, original);
    }
    if (!result) throw new Error("no test run");
    const caught = result.failed.length > 0;
    if (caught) guarded++;
    console.log(`${caught ? "guarded  " : "UNGUARDED"} ${site.file}:${site.line} ${site.text}`);
    if (verbose && caught) console.log(`            caught by ${result.failed[0]}`);
    if (!caught && result.broken.length > 0) console.log(`            (the mutant did not run: ${result.broken[0]})`);
  }
  console.log(`${guarded} of ${sites.length} checks are guarded by a failing test`);
  console.log(`(${seconds(started)})`);
  return guarded === sites.length ? 0 : 1;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

main()
  .then((code) => {
    cleanUp();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    cleanUp();
    console.error(error);
    process.exitCode = 2;
  });

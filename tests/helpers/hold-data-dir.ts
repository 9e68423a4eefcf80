// Test helper process: takes the embedded database's data-directory lock in DATA_DIR (the same
// lock a server takes before opening PGlite), says "ready <pid>", and holds it until killed — the
// "first process" of the data-directory lock test. It does not open PGlite itself: the lock is
// what is under test, and opening the database made the test slow on a loaded machine.
import fs from "node:fs";
import { acquirePidLock } from "@/lib/db/pid-lock";
import { env } from "@/lib/env";

const dir = env().DATA_DIR;
fs.mkdirSync(dir, { recursive: true });
acquirePidLock(dir);
console.log(`ready ${process.pid}`);
setInterval(() => undefined, 60_000);

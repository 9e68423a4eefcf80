// Test helper process: opens the embedded database in DATA_DIR, says "ready", and holds it
// until killed — the "first process" of the data-directory lock test.
import { getDatabase } from "@/lib/db";

const db = getDatabase();
await db.prisma.$queryRaw`SELECT 1`;
console.log(`ready ${process.pid}`);
setInterval(() => undefined, 60_000);

// Every row of the tables an organization's writes can touch, as text, in one round trip: taken
// before and after a refused call, two snapshots must be equal ("nothing was written").
import { getPrisma } from "@/lib/db";

/**
 * Users and everything organizations own. RateLimitBucket is left out on purpose: counting a
 * request against its key's limit is what authentication does, refused or not.
 */
export const SNAPSHOT_TABLES = [
  "Organization",
  "User",
  "Membership",
  "Role",
  "RolePolicy",
  "Policy",
  "PolicyPermission",
  "Project",
  "ProjectMembership",
  "GovernancePolicy",
  "GovernanceControl",
  "Invitation",
  "ApiKey",
  "AuditEvent",
  "EmailOutbox",
] as const;

export type TableSnapshot = Record<(typeof SNAPSHOT_TABLES)[number], string[]>;

export async function snapshotTables(): Promise<TableSnapshot> {
  const sql = SNAPSHOT_TABLES.map((table) => `SELECT '${table}' AS "table", t::text AS "row" FROM "${table}" t`).join(
    " UNION ALL ",
  );
  const rows = await getPrisma().$queryRawUnsafe<{ table: string; row: string }[]>(sql);
  const snapshot = Object.fromEntries(SNAPSHOT_TABLES.map((table) => [table, [] as string[]])) as TableSnapshot;
  for (const { table, row } of rows) snapshot[table as keyof TableSnapshot].push(row);
  for (const table of SNAPSHOT_TABLES) snapshot[table].sort();
  return snapshot;
}

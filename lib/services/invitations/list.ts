// Listing invitations, of the organization or of one project: the whole list, as Confident's API
// answers it, or keyset pages of it. Invitations of another organization or another scope never
// appear, and revoked ones no longer exist to callers.
import "server-only";
import { getPrisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ServiceContext } from "@/lib/services/context";
import { assertCan } from "@/lib/services/permissions";
import {
  DEFAULT_INVITATIONS_LIMIT,
  encodeInvitationCursor,
  type AnyInvitationDto,
  type InvitationCursor,
  type ListInvitationsQuery,
} from "@/lib/validation/invitations";
import { invitationDtoColumns } from "./dto";
import { inScopeSql, ORGANIZATION_SCOPE, resolveScope, type InvitationScope } from "./scope";

export interface InvitationFilters {
  status?: ListInvitationsQuery["status"];
  email?: string;
  /** The settings pages' Pending/Expired split: PENDING invitations past (or within) their expiry at `now`, as isExpired() tells them apart. */
  expiry?: { expired: boolean; now: Date };
}

export interface InvitationPageQuery extends InvitationFilters {
  /** Page size; DEFAULT_INVITATIONS_LIMIT when omitted. */
  limit?: number;
  /** The invitations after this position (a decoded nextCursor). */
  cursor?: InvitationCursor;
}

export interface InvitationPage {
  invitations: AnyInvitationDto[];
  /** The cursor of the next page; null on the last one. */
  nextCursor: string | null;
}

// A timestamp travels as ISO-8601 UTC text: in a timestamp-without-time-zone cast PostgreSQL
// ignores the Z, which is how the columns store UTC.
const at = (iso: string) => Prisma.sql`${iso}::timestamp`;

/**
 * Which rows a list holds. inScopeSql spells the scope per kind, so the planner can use the
 * partial indexes Invitation_open_org_list_idx / Invitation_open_project_list_idx: rows come in
 * (createdAt, id) order without a sort, and a page after a cursor reads only its own rows.
 */
async function listedRows(ctx: ServiceContext, filters: InvitationFilters, scope: InvitationScope) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:read");
  // Spelled out rather than passed as an enum array: PGlite's adapter sends such an array as text.
  const status = filters.status ?? null;
  // A substring match: LIKE's own wildcards in the filter are matched literally.
  const email = filters.email ? `%${filters.email.trim().toLowerCase().replace(/[\\%_]/g, "\\$&")}%` : null;
  const expiry = !filters.expiry
    ? Prisma.empty
    : filters.expiry.expired
      ? Prisma.sql`AND status = 'PENDING' AND "expiresAt" <= ${at(filters.expiry.now.toISOString())}`
      : Prisma.sql`AND (status <> 'PENDING' OR "expiresAt" > ${at(filters.expiry.now.toISOString())})`;
  const where = Prisma.sql`i."organizationId" = ${ctx.actor.organizationId} AND ${inScopeSql(target)}
       AND (status = 'PENDING' OR status = 'DECLINED') AND (${status}::text IS NULL OR status::text = ${status})
       AND (${email}::text IS NULL OR email LIKE ${email}) ${expiry}`;
  return { where, projectId: target.projectId };
}

/**
 * The scope's open invitations, newest first, in the contract's shape straight from SQL: building
 * a Date per timestamp and mapping rows cost more than the query itself (bench:list: 0.45x of a
 * bare pg server before, above 1x after). tests pin this shape to the endpoint's response schema.
 */
async function selectInvitations(
  ctx: ServiceContext,
  filters: InvitationFilters,
  scope: InvitationScope,
  page?: { limit: number; after?: InvitationCursor },
): Promise<AnyInvitationDto[]> {
  const { where, projectId } = await listedRows(ctx, filters, scope);
  const after = page?.after
    ? Prisma.sql`AND ("createdAt", id) < (${at(page.after.createdAt)}, ${page.after.id}::int)`
    : Prisma.empty;
  const limit = page ? Prisma.sql`LIMIT ${page.limit + 1}::int` : Prisma.empty;
  // Prepared (lib/db/open.ts): each filter combination is its own statement text, and its plan
  // (the scope's list index in order, the filters as conditions) does not depend on the values.
  return getPrisma().$queryRaw<AnyInvitationDto[]>`/* prepared */
    SELECT ${invitationDtoColumns({ projectId }, "i")}
      FROM "Invitation" i
     WHERE ${where} ${after}
     ORDER BY "createdAt" DESC, id DESC
     ${limit}`;
}

/** How many open invitations of the scope match the filters (a paged list's heading). */
export async function countInvitations(
  ctx: ServiceContext,
  filters: InvitationFilters = {},
  scope: InvitationScope = ORGANIZATION_SCOPE,
): Promise<number> {
  const { where } = await listedRows(ctx, filters, scope);
  const [row] = await getPrisma().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM "Invitation" i WHERE ${where}`;
  return row!.count;
}

/** Every open invitation of the scope matching the filters, newest first. */
export async function listInvitations(
  ctx: ServiceContext,
  filters: InvitationFilters = {},
  scope: InvitationScope = ORGANIZATION_SCOPE,
): Promise<AnyInvitationDto[]> {
  return selectInvitations(ctx, filters, scope);
}

/**
 * One page of the list: the `limit` newest invitations after `cursor`. Keyset paging on
 * (createdAt, id): invitations created while a client walks the pages sort before its cursor, so
 * they never shift, repeat or hide the older ones it has still to read.
 */
export async function listInvitationPage(
  ctx: ServiceContext,
  query: InvitationPageQuery = {},
  scope: InvitationScope = ORGANIZATION_SCOPE,
): Promise<InvitationPage> {
  const limit = query.limit ?? DEFAULT_INVITATIONS_LIMIT;
  const rows = await selectInvitations(ctx, query, scope, { limit, after: query.cursor });
  if (rows.length <= limit) return { invitations: rows, nextCursor: null };
  rows.length = limit;
  const last = rows[limit - 1]!;
  return { invitations: rows, nextCursor: encodeInvitationCursor({ createdAt: last.created_at, id: last.id }) };
}

/**
 * The answer of GET …/invitations: without `limit` and `cursor` the whole list, exactly as
 * Confident's API (and so its SDKs) has it; with either, one page and its `nextCursor`.
 */
export async function listInvitationsResponse(
  ctx: ServiceContext,
  query: ListInvitationsQuery,
  scope: InvitationScope = ORGANIZATION_SCOPE,
): Promise<{ invitations: AnyInvitationDto[]; nextCursor?: string | null }> {
  if (query.limit === undefined && query.cursor === undefined) return { invitations: await listInvitations(ctx, query, scope) };
  return listInvitationPage(ctx, query, scope);
}

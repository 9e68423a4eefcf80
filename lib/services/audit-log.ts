// Reading the audit trail: one organization's events, newest first, filtered by action, actor,
// the project an event concerns and a date range (days in the viewer's time zone), with the ids
// an event stores (users, API keys, roles, projects…) turned into names people recognize and its
// details into readable changes (audit-names.ts, audit-details.ts).
//
// Permission: iam:read. The trail records who holds access and what they did with it (keys made
// and revoked, roles changed, members invited and removed), which is what iam:read already lets
// someone see; organization:read is the baseline every page needs just to show the org's name,
// so a narrow custom role holding only that should not reveal who did what.
import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { describeDetails, refsInDetails, type AuditDetail } from "./audit-details";
import { resolveAuditNames } from "./audit-names";
import type { ServiceContext } from "./context";
import { byName } from "./iam";
import { assertCan } from "./permissions";

export const AUDIT_PAGE_SIZE = 50;

/** An actor filter is `<type>:<id>`, the same value the actor picker submits. */
const ActorFilter = z
  .string()
  .regex(/^(user|apiKey|system):.+$/, "actor must look like user:<id>, apiKey:<id> or system:<id>")
  .transform((value) => {
    const at = value.indexOf(":");
    return { type: value.slice(0, at), id: value.slice(at + 1) };
  });

const Day = (field: string) =>
  z.iso.date({ error: `${field} must be a date such as 2026-01-31` });

const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "timeZone must be a time zone such as Europe/Berlin");

export const AuditLogQuery = z
  .object({
    page: z.number().int().min(1, "page must be at least 1").default(1),
    pageSize: z.number().int().min(1).max(100, "pageSize must be at most 100").default(AUDIT_PAGE_SIZE),
    action: z.string().min(1).max(100).optional(),
    actor: ActorFilter.optional(),
    /** Only the events about this project (the organization's own events have none). */
    projectId: z.string().min(1).max(100).optional(),
    /** The first day to include (YYYY-MM-DD), from its midnight in `timeZone`. */
    from: Day("from").optional(),
    /** The last day to include (YYYY-MM-DD), up to its end in `timeZone`. */
    to: Day("to").optional(),
    /** Whose days `from` and `to` are: the viewer's zone (IANA name); UTC if none. */
    timeZone: TimeZone.default("UTC"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must be on or before to", path: ["to"] });
export type AuditLogQuery = z.input<typeof AuditLogQuery>;

export interface AuditRef {
  type: string;
  id: string;
  label: string;
}

export interface AuditEventView {
  id: string;
  createdAt: string;
  actor: AuditRef;
  action: string;
  target: AuditRef | null;
  requestId: string | null;
  metadata: Prisma.JsonValue | null;
  /** The metadata as readable changes, ids named ("role: Member → Admin"). */
  details: AuditDetail[];
}

export interface AuditLogPage {
  events: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const key = (type: string, id: string) => `${type}:${id}`;

/** "2026-01-31" → "2026-02-01". */
function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms). */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a day (YYYY-MM-DD) begins in `timeZone`; checked twice for a daylight-saving change. */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d);
  const first = midnightAsUtc - zoneOffset(midnightAsUtc, timeZone);
  return new Date(midnightAsUtc - zoneOffset(first, timeZone));
}

function parseQuery(query: AuditLogQuery) {
  const parsed = AuditLogQuery.safeParse(query);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Invalid audit log query");
  return parsed.data;
}

/** One page of the organization's events, newest first, with the total for the same filters. */
export async function listAuditEvents(ctx: ServiceContext, query: AuditLogQuery = {}): Promise<AuditLogPage> {
  await assertCan(ctx.actor, "iam:read");
  const { page, pageSize, action, actor, projectId, from, to, timeZone } = parseQuery(query);
  const organizationId = ctx.actor.organizationId;
  const where: Prisma.AuditEventWhereInput = {
    organizationId,
    ...(action ? { action } : {}),
    ...(actor ? { actorType: actor.type, actorId: actor.id } : {}),
    ...(projectId ? { projectId } : {}),
    ...(from || to
      ? { createdAt: { ...(from ? { gte: startOfDay(from, timeZone) } : {}), ...(to ? { lt: startOfDay(nextDay(to), timeZone) } : {}) } }
      : {}),
  };
  const prisma = getPrisma();
  const [total, rows] = await Promise.all([
    prisma.auditEvent.count({ where }),
    prisma.auditEvent.findMany({
      where,
      // The id breaks ties between events of one transaction, so pages never overlap.
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  const refs = rows.flatMap((r) => [
    { type: r.actorType, id: r.actorId },
    ...(r.targetType && r.targetId ? [{ type: r.targetType, id: r.targetId }] : []),
    ...refsInDetails(r.action, r.metadata),
  ]);
  const names = await resolveAuditNames(organizationId, refs);
  const events = rows.map<AuditEventView>((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    actor: { type: r.actorType, id: r.actorId, label: names.label(r.actorType, r.actorId) },
    action: r.action,
    target:
      r.targetType && r.targetId
        ? { type: r.targetType, id: r.targetId, label: names.label(r.targetType, r.targetId) }
        : null,
    requestId: r.requestId,
    metadata: r.metadata,
    details: describeDetails(r.action, r.metadata, names),
  }));
  return { events, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

const ACTOR_ORDER = ["user", "apiKey", "system"];

export interface AuditFilterOptions {
  actions: string[];
  /** `value` is what `listAuditEvents` takes as `actor`. */
  actors: { value: string; label: string }[];
}

/** The actions and actors that occur in this organization's trail, for the filter pickers. */
export async function listAuditFilterOptions(ctx: ServiceContext): Promise<AuditFilterOptions> {
  await assertCan(ctx.actor, "iam:read");
  const organizationId = ctx.actor.organizationId;
  const prisma = getPrisma();
  const [actions, actors] = await Promise.all([
    prisma.auditEvent.groupBy({ by: ["action"], where: { organizationId } }),
    prisma.auditEvent.groupBy({ by: ["actorType", "actorId"], where: { organizationId } }),
  ]);
  const names = await resolveAuditNames(
    organizationId,
    actors.map((a) => ({ type: a.actorType, id: a.actorId })),
  );
  return {
    actions: actions.map((a) => a.action).sort(),
    // People first, then keys, then the system; by name within each.
    actors: actors
      .map((a) => ({ type: a.actorType, value: key(a.actorType, a.actorId), name: names.label(a.actorType, a.actorId) }))
      .sort((a, b) => ACTOR_ORDER.indexOf(a.type) - ACTOR_ORDER.indexOf(b.type) || byName(a, b))
      .map(({ value, name }) => ({ value, label: name })),
  };
}

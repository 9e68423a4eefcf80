// Reading the audit trail: one organization's events, newest first, filtered by action, actor or
// the project an event concerns,
// with the ids an event stores (users, API keys, roles…) turned into names people recognize.
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
import type { ServiceContext } from "./context";
import { byName, systemOrOwn } from "./iam";
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

export const AuditLogQuery = z.object({
  page: z.number().int().min(1, "page must be at least 1").default(1),
  pageSize: z.number().int().min(1).max(100, "pageSize must be at most 100").default(AUDIT_PAGE_SIZE),
  action: z.string().min(1).max(100).optional(),
  actor: ActorFilter.optional(),
  /** Only the events about this project (the organization's own events have none). */
  projectId: z.string().min(1).max(100).optional(),
});
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
}

export interface AuditLogPage {
  events: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const key = (type: string, id: string) => `${type}:${id}`;

/** Integer ids only: a malformed stored id must not break the whole page's lookup. */
const intIds = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
const uuidIds = (ids: string[]) => ids.filter((id) => z.uuid().safeParse(id).success);

/**
 * Names for every (type, id) in `refs`, one query per kind. Lookups of org-owned rows are
 * scoped to this organization, so a stray id can never reveal another org's data.
 */
async function resolveNames(organizationId: string, refs: { type: string; id: string }[]) {
  const ids = (type: string) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const userIds = [...new Set([...ids("user"), ...ids("member")])];
  const prisma = getPrisma();
  const [users, keys, roles, policies, invitations] = await Promise.all([
    userIds.length ? prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    intIds(ids("apiKey")).length
      ? prisma.apiKey.findMany({ where: { organizationId, id: { in: intIds(ids("apiKey")) } }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("role")).length
      ? prisma.role.findMany({ where: { id: { in: uuidIds(ids("role")) }, ...systemOrOwn(organizationId) }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("policy")).length
      ? prisma.policy.findMany({ where: { id: { in: uuidIds(ids("policy")) }, ...systemOrOwn(organizationId) }, select: { id: true, name: true } })
      : [],
    intIds(ids("invitation")).length
      ? prisma.invitation.findMany({ where: { organizationId, id: { in: intIds(ids("invitation")) } }, select: { id: true, email: true } })
      : [],
  ]);
  const names = new Map<string, string>();
  for (const u of users) names.set(key("user", u.id), u.email);
  for (const k of keys) names.set(key("apiKey", String(k.id)), `API key #${k.id}${k.name ? ` (${k.name})` : ""}`);
  for (const r of roles) names.set(key("role", r.id), `Role "${r.name}"`);
  for (const p of policies) names.set(key("policy", p.id), `Policy "${p.name}"`);
  for (const i of invitations) names.set(key("invitation", String(i.id)), `Invitation #${i.id} (${i.email})`);
  return names;
}

/** What to call a ref whose row was found, or a plain description of a gone one. */
function label(names: Map<string, string>, type: string, id: string): string {
  const found = names.get(key(type === "member" ? "user" : type, id));
  if (type === "member") return found ? `Member ${found}` : `Member ${id} (deleted user)`;
  if (found) return found;
  switch (type) {
    case "user":
      return `Deleted user (${id})`;
    case "apiKey":
      return `API key #${id} (deleted)`;
    case "system":
      return `System (${id})`;
    case "organization":
      return "Organization";
    case "role":
      return `Role ${id} (deleted)`;
    case "policy":
      return `Policy ${id} (deleted)`;
    case "invitation":
      return `Invitation #${id}`;
    default:
      return `${type} ${id}`;
  }
}

function parseQuery(query: AuditLogQuery) {
  const parsed = AuditLogQuery.safeParse(query);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Invalid audit log query");
  return parsed.data;
}

/** One page of the organization's events, newest first, with the total for the same filters. */
export async function listAuditEvents(ctx: ServiceContext, query: AuditLogQuery = {}): Promise<AuditLogPage> {
  await assertCan(ctx.actor, "iam:read");
  const { page, pageSize, action, actor, projectId } = parseQuery(query);
  const organizationId = ctx.actor.organizationId;
  const where: Prisma.AuditEventWhereInput = {
    organizationId,
    ...(action ? { action } : {}),
    ...(actor ? { actorType: actor.type, actorId: actor.id } : {}),
    ...(projectId ? { projectId } : {}),
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
  ]);
  const names = await resolveNames(organizationId, refs);
  const events = rows.map<AuditEventView>((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    actor: { type: r.actorType, id: r.actorId, label: label(names, r.actorType, r.actorId) },
    action: r.action,
    target:
      r.targetType && r.targetId
        ? { type: r.targetType, id: r.targetId, label: label(names, r.targetType, r.targetId) }
        : null,
    requestId: r.requestId,
    metadata: r.metadata,
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
  const names = await resolveNames(
    organizationId,
    actors.map((a) => ({ type: a.actorType, id: a.actorId })),
  );
  return {
    actions: actions.map((a) => a.action).sort(),
    // People first, then keys, then the system; by name within each.
    actors: actors
      .map((a) => ({ type: a.actorType, value: key(a.actorType, a.actorId), name: label(names, a.actorType, a.actorId) }))
      .sort((a, b) => ACTOR_ORDER.indexOf(a.type) - ACTOR_ORDER.indexOf(b.type) || byName(a, b))
      .map(({ value, name }) => ({ value, label: name })),
  };
}

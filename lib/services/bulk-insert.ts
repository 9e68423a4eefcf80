// Multi-row inserts as ONE statement each (INSERT … SELECT FROM unnest), written as CTEs of a
// guarded write statement (organization-lock.ts guardedWrite): every row is inserted only when
// the statement's `guard` answered a row. Prisma's createMany compiles and plans every row in its
// query compiler, which dominated the cost of inviting 100 people at once (bench:create: ~37 ms of
// 97 ms at N=100); these keep the statement count and the work per email flat.
//
// A row may take its invitation id from rows another CTE of the statement wrote (`link`): the
// invitation being created in the same statement, matched by its email.
import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Rows of `from` (a CTE returning invitation rows) give the id of the invitation with this email. */
export interface InvitationLink {
  from: string;
  /** Per row, the invited address whose invitation id the row takes. */
  emails: string[];
}

/** Where the rows come from: unnest, joined to the linked invitations, or gated on `guard`. */
function source(unnest: Prisma.Sql, link: InvitationLink | undefined): Prisma.Sql {
  return link
    ? Prisma.sql`${unnest} JOIN ${Prisma.raw(link.from)} AS w ON w.email = v.link_email`
    : Prisma.sql`${unnest} WHERE EXISTS (SELECT 1 FROM guard)`;
}

/** `name AS (INSERT INTO "EmailOutbox" …)`: invitationId from the link when given. */
export function outboxInsertCte(name: string, rows: Prisma.EmailOutboxCreateManyInput[], link?: InvitationLink): Prisma.Sql {
  const unnest = Prisma.sql`unnest(
      ${rows.map((r) => r.id ?? randomUUID())}::uuid[], ${rows.map((r) => r.organizationId ?? null)}::text[],
      ${rows.map((r) => r.invitationId ?? null)}::int[], ${rows.map((r) => r.kind)}::text[],
      ${rows.map((r) => r.recipient)}::text[], ${rows.map((r) => json(r.payload))}::text[],
      ${rows.map((r) => r.secret ?? null)}::text[], ${rows.map((r) => r.idempotencyKey)}::text[],
      ${link?.emails ?? rows.map(() => null)}::text[])
    AS v(id, org, inv, kind, recipient, payload, secret, ikey, link_email)`;
  return Prisma.sql`${Prisma.raw(name)} AS (
    INSERT INTO "EmailOutbox" (id, "organizationId", "invitationId", kind, recipient, payload, secret, "idempotencyKey")
    SELECT v.id, v.org, ${link ? Prisma.sql`w.id` : Prisma.sql`v.inv`}, v.kind, v.recipient, v.payload::jsonb, v.secret, v.ikey
      FROM ${source(unnest, link)}
    RETURNING 1)`;
}

/** `name AS (INSERT INTO "AuditEvent" …)`: the target is the linked invitation when given. */
export function auditInsertCte(name: string, rows: Prisma.AuditEventCreateManyInput[], link?: InvitationLink): Prisma.Sql {
  const unnest = Prisma.sql`unnest(
      ${rows.map(() => randomUUID())}::uuid[], ${rows.map((r) => r.organizationId)}::text[],
      ${rows.map((r) => r.projectId ?? null)}::text[],
      ${rows.map((r) => r.actorType)}::text[], ${rows.map((r) => r.actorId)}::text[], ${rows.map((r) => r.action)}::text[],
      ${rows.map((r) => r.targetType ?? null)}::text[], ${rows.map((r) => r.targetId ?? null)}::text[],
      ${rows.map((r) => r.requestId ?? null)}::text[], ${rows.map((r) => json(r.metadata))}::text[],
      ${link?.emails ?? rows.map(() => null)}::text[])
    AS v(id, org, project, actor_type, actor_id, action, target_type, target_id, request_id, metadata, link_email)`;
  return Prisma.sql`${Prisma.raw(name)} AS (
    INSERT INTO "AuditEvent" (id, "organizationId", "projectId", "actorType", "actorId", action, "targetType", "targetId", "requestId", metadata)
    SELECT v.id, v.org, v.project, v.actor_type, v.actor_id, v.action, v.target_type,
           ${link ? Prisma.sql`w.id::text` : Prisma.sql`v.target_id`}, v.request_id, v.metadata::jsonb
      FROM ${source(unnest, link)}
    RETURNING 1)`;
}

/** `name AS (UPDATE "EmailOutbox" …)`: withdraws the queued messages of the invitations `from` returned. */
export function cancelQueuedEmailsCte(name: string, from: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(name)} AS (
    UPDATE "EmailOutbox" e SET status = 'CANCELLED', secret = NULL
      FROM ${Prisma.raw(from)} AS c
     WHERE e."invitationId" = c.id AND e.status = 'PENDING'
    RETURNING 1)`;
}

// Names for the ids an audit event stores — its actor, its target and the ids in its details
// (roles, policies, permissions, users, API keys, projects, governance policies, invitations).
// One query per kind; lookups of org-owned rows are scoped to the organization, so a stray id
// never reveals another organization's data. A row deleted since is named from its own delete
// event, whose details keep the name.
import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db";

export interface Ref {
  type: string;
  id: string;
}

export interface AuditNames {
  /** The bare name ("Admin", "ada@example.com"), "… (deleted)" for a gone row. */
  name(type: string, id: string): string;
  /** How the actor and target columns call it: `Role "Admin"`, `API key #7 (CI)`, `Member ada@…`. */
  label(type: string, id: string): string;
}

const key = (type: string, id: string) => `${type}:${id}`;
/** Integer ids only: a malformed stored id must not break the whole page's lookup. */
const intIds = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
const uuidIds = (ids: string[]) => ids.filter((id) => z.uuid().safeParse(id).success);
const textIds = (ids: string[]) => ids.filter((id) => id.length > 0 && id.length <= 100);

/** What each kind is called in the actor and target columns. */
const KINDS: Record<string, { live: (name: string, id: string) => string; gone: (id: string, name?: string) => string }> = {
  user: { live: (name) => name, gone: (id) => `Deleted user (${id})` },
  apiKey: {
    live: (name, id) => `API key #${id}${name ? ` (${name})` : ""}`,
    gone: (id, name) => `API key #${id} (${name ? `${name}, ` : ""}deleted)`,
  },
  role: { live: (name) => `Role "${name}"`, gone: (id, name) => (name ? `Role "${name}" (deleted)` : `Role ${id} (deleted)`) },
  policy: { live: (name) => `Policy "${name}"`, gone: (id, name) => (name ? `Policy "${name}" (deleted)` : `Policy ${id} (deleted)`) },
  project: { live: (name) => `Project "${name}"`, gone: (id, name) => (name ? `Project "${name}" (deleted)` : `Project ${id} (deleted)`) },
  governancePolicy: {
    live: (name) => `Governance policy "${name}"`,
    gone: (id, name) => (name ? `Governance policy "${name}" (deleted)` : `Governance policy ${id} (deleted)`),
  },
  invitation: { live: (email, id) => `Invitation #${id} (${email})`, gone: (id) => `Invitation #${id}` },
  permission: { live: (name) => name, gone: (id) => `Permission ${id}` },
};

/** The kinds whose delete event records the deleted row's name. */
const NAMED_IN_DELETE_EVENT = ["apiKey", "role", "policy", "project", "governancePolicy"];

export async function resolveAuditNames(organizationId: string, refs: Ref[]): Promise<AuditNames> {
  const ids = (type: string) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const userIds = [...new Set([...ids("user"), ...ids("member")])];
  const prisma = getPrisma();
  // Roles and policies of the organization, of its projects, or of the system.
  const iamVisible = { OR: [{ organizationId: null, projectId: null }, { organizationId }, { project: { organizationId } }] };
  const [users, keys, roles, policies, permissions, projects, governance, invitations] = await Promise.all([
    userIds.length ? prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    intIds(ids("apiKey")).length
      ? prisma.apiKey.findMany({ where: { organizationId, id: { in: intIds(ids("apiKey")) } }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("role")).length
      ? prisma.role.findMany({ where: { id: { in: uuidIds(ids("role")) }, ...iamVisible }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("policy")).length
      ? prisma.policy.findMany({ where: { id: { in: uuidIds(ids("policy")) }, ...iamVisible }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("permission")).length
      ? prisma.permission.findMany({ where: { id: { in: uuidIds(ids("permission")) } }, select: { id: true, name: true } })
      : [],
    textIds(ids("project")).length
      ? prisma.project.findMany({ where: { organizationId, id: { in: textIds(ids("project")) } }, select: { id: true, name: true } })
      : [],
    uuidIds(ids("governancePolicy")).length
      ? prisma.governancePolicy.findMany({ where: { organizationId, id: { in: uuidIds(ids("governancePolicy")) } }, select: { id: true, name: true } })
      : [],
    intIds(ids("invitation")).length
      ? prisma.invitation.findMany({ where: { organizationId, id: { in: intIds(ids("invitation")) } }, select: { id: true, email: true } })
      : [],
  ]);
  const live = new Map<string, string>();
  for (const u of users) live.set(key("user", u.id), u.email);
  for (const k of keys) live.set(key("apiKey", String(k.id)), k.name ?? "");
  for (const r of roles) live.set(key("role", r.id), r.name);
  for (const p of policies) live.set(key("policy", p.id), p.name);
  for (const p of permissions) live.set(key("permission", p.id), p.name);
  for (const p of projects) live.set(key("project", p.id), p.name);
  for (const g of governance) live.set(key("governancePolicy", g.id), g.name);
  for (const i of invitations) live.set(key("invitation", String(i.id)), i.email);

  const gone = await namesOfDeleted(
    organizationId,
    refs.filter((r) => NAMED_IN_DELETE_EVENT.includes(r.type) && !live.has(key(r.type, r.id))),
  );

  const name = (type: string, id: string): string => {
    const kind = type === "member" ? "user" : type;
    const found = live.get(key(kind, id));
    if (found !== undefined) {
      if (kind === "apiKey") return found ? `${found} (#${id})` : `API key #${id}`;
      return found;
    }
    const was = gone.get(key(kind, id));
    if (kind === "user") return `deleted user (${id})`;
    if (kind === "apiKey") return `${was ? `${was} (#${id}` : `API key (#${id}`}, deleted)`;
    return was ? `${was} (deleted)` : `${id} (deleted)`;
  };

  const label = (type: string, id: string): string => {
    if (type === "member") {
      const email = live.get(key("user", id));
      return email ? `Member ${email}` : `Member ${id} (deleted user)`;
    }
    if (type === "organization") return "Organization";
    if (type === "system") return `System (${id})`;
    const kind = KINDS[type];
    if (!kind) return `${type} ${id}`;
    const found = live.get(key(type, id));
    return found !== undefined ? kind.live(found, id) : kind.gone(id, gone.get(key(type, id)));
  };

  return { name, label };
}

/** The names that the delete events of these (gone) rows recorded. */
async function namesOfDeleted(organizationId: string, refs: Ref[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (refs.length === 0) return names;
  const events = await getPrisma().auditEvent.findMany({
    where: {
      organizationId,
      action: { endsWith: ".delete" },
      targetType: { in: [...new Set(refs.map((r) => r.type))] },
      targetId: { in: [...new Set(refs.map((r) => r.id))] },
    },
    select: { targetType: true, targetId: true, metadata: true },
  });
  for (const event of events) {
    const recorded = (event.metadata as { name?: unknown } | null)?.name;
    if (event.targetType && event.targetId && typeof recorded === "string") names.set(key(event.targetType, event.targetId), recorded);
  }
  return names;
}

// An audit event's details (its stored metadata) as readable changes: "role: Member → Admin",
// "policies: + Read only, − Full access", with every id named. The metadata shapes are the
// services' own (auditRow calls); a key not listed here still reads sensibly ("some key: value").
import "server-only";
import type { AuditNames, Ref } from "./audit-names";

export interface AuditDetail {
  /** What it is about: "role", "name", "policies". */
  field: string;
  /** A value ("ada@example.com")… */
  value?: string;
  /** …or a change from one value to another… */
  from?: string;
  to?: string;
  /** …or a list that gained and lost entries. */
  added?: string[];
  removed?: string[];
}

/** Metadata keys that hold ids, and the kind of row they name. */
const ID_KINDS: Record<string, string> = {
  roleId: "role",
  policyIds: "policy",
  permissionIds: "permission",
  ownerUserId: "user",
  userId: "user",
  governancePolicyId: "governancePolicy",
  previousPolicyId: "governancePolicy",
  governancePolicy: "governancePolicy",
  unenrolledProjectIds: "project",
  projectIds: "project",
  projectId: "project",
  revokedInvitations: "invitation",
};

const FIELD_LABELS: Record<string, string> = {
  roleId: "role",
  policyIds: "policies",
  permissionIds: "permissions",
  ownerUserId: "owner",
  governancePolicyId: "governance policy",
  previousPolicyId: "previous governance policy",
  governancePolicy: "governance policy",
  unenrolledProjectIds: "projects unenrolled",
  revokedInvitations: "invitations revoked",
  valid: "status",
  alreadyMember: "already a member",
  pastInvitationsMovedToMember: "past invitations moved to Member",
  last6: "key ending in",
  trialEndsAt: "trial ends",
};

type Json = unknown;
const isRecord = (value: Json): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);
const isChange = (value: Json): value is { from: Json; to: Json } => isRecord(value) && "from" in value && "to" in value;

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** A member's role change stores the role ids as its top-level from/to. */
const topLevelKey = (action: string) => (action.endsWith("members.role.update") ? "roleId" : "");

/** The ids in an event's details, to be named along with its actor and target. */
export function refsInDetails(action: string, metadata: Json): Ref[] {
  const refs: Ref[] = [];
  const walk = (value: Json, key: string) => {
    const kind = ID_KINDS[key];
    if (kind && (typeof value === "string" || typeof value === "number")) refs.push({ type: kind, id: String(value) });
    else if (Array.isArray(value)) for (const item of value) walk(item, key);
    else if (isRecord(value)) {
      if (kind && typeof value.id === "string") refs.push({ type: kind, id: value.id });
      for (const [k, v] of Object.entries(value)) walk(v, k === "from" || k === "to" ? key : k);
    }
  };
  walk(metadata, topLevelKey(action));
  return refs;
}

const byText = (a: string, b: string) => a.localeCompare(b, "en");

/** "PRE_DEPLOYMENT_EVALS" → "pre-deployment evals". */
const words = (constant: string) => constant.toLowerCase().replace(/^pre_/, "pre-").replace(/_/g, " ");

function show(value: Json, key: string, names: AuditNames): string {
  const kind = ID_KINDS[key];
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return key === "valid" ? (value ? "active" : "deactivated") : value ? "yes" : "no";
  if (typeof value === "string" || typeof value === "number") return kind ? names.name(kind, String(value)) : String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const shown = value.map((item) => show(item, key, names));
    // Named rows alphabetically (stored ids are in id order); other lists as recorded.
    return (kind ? shown.sort(byText) : shown).join(", ");
  }
  if (isRecord(value)) {
    // A reference stored with its name at the time ({ id, name }): today's name if it still exists.
    if (kind && typeof value.id === "string") {
      const named = names.name(kind, value.id);
      return named.endsWith("(deleted)") && typeof value.name === "string" ? `${value.name} (deleted)` : named;
    }
    // A governance control.
    if (typeof value.name === "string" && typeof value.type === "string") return `${value.name} (${words(value.type)})`;
    return JSON.stringify(value);
  }
  return String(value);
}

function change(key: string, from: Json, to: Json, names: AuditNames): AuditDetail | null {
  if (JSON.stringify(from) === JSON.stringify(to)) return null;
  const field = fieldLabel(key);
  if (Array.isArray(from) && Array.isArray(to)) {
    const [before, after] = [from.map(String), to.map(String)];
    return {
      field,
      added: after.filter((id) => !before.includes(id)).map((id) => show(id, key, names)).sort(byText),
      removed: before.filter((id) => !after.includes(id)).map((id) => show(id, key, names)).sort(byText),
    };
  }
  return { field, from: show(from, key, names), to: show(to, key, names) };
}

/** The details of one event, in order, each naming what it is about. */
export function describeDetails(action: string, metadata: Json, names: AuditNames): AuditDetail[] {
  if (metadata === null || metadata === undefined) return [];
  if (!isRecord(metadata)) return [{ field: "details", value: show(metadata, "", names) }];
  const details: AuditDetail[] = [];
  const rest = { ...metadata };
  if (isChange(metadata)) {
    delete rest.from;
    delete rest.to;
    if (isRecord(metadata.from) && isRecord(metadata.to)) {
      // A full replacement (a role or policy edit): what differs between the two snapshots.
      const { from, to } = metadata;
      const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
      const changes = keys.flatMap((k) => change(k, from[k] ?? null, to[k] ?? null, names) ?? []);
      details.push(...(changes.length ? changes : [{ field: "changes", value: "none (saved as it was)" }]));
    } else {
      const key = topLevelKey(action);
      details.push(change(key || "value", metadata.from, metadata.to, names) ?? { field: fieldLabel(key || "value"), value: show(metadata.to, key, names) });
    }
  }
  for (const [key, value] of Object.entries(rest)) {
    if (isChange(value)) {
      const changed = change(key, value.from, value.to, names);
      details.push(changed ?? { field: fieldLabel(key), value: `${show(value.to, key, names)} (unchanged)` });
    } else {
      details.push({ field: fieldLabel(key), value: show(value, key, names) });
    }
  }
  return details;
}

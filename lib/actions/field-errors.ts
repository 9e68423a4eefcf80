// What a form is told about invalid fields. The contract's zod schemas speak to API clients
// ("name must not be empty", "policyIds must contain only policy ids (UUIDs)"); a person at a
// form reads one sentence next to the field instead ("Enter a name."). Messages a form schema
// already words for people (they do not start with the field's name) pass through unchanged.
import type { z } from "zod";

interface FieldWords {
  /** What to enter or choose: "a name". */
  what: string;
  /** One element of a list field: "policy". */
  item?: string;
  items?: string;
  /** Picked from a list rather than typed. */
  chosen?: boolean;
}

const FIELDS: Record<string, FieldWords> = {
  name: { what: "a name" },
  description: { what: "a description" },
  email: { what: "an email address" },
  emails: { what: "at least one email address", item: "email address", items: "email addresses" },
  roleId: { what: "a role", chosen: true },
  organizationRoleId: { what: "a role", chosen: true },
  projectRoleId: { what: "a role", chosen: true },
  policyIds: { what: "policies", item: "policy", items: "policies", chosen: true },
  permissionIds: { what: "permissions", item: "permission", items: "permissions", chosen: true },
  projectIds: { what: "projects", item: "project", items: "projects", chosen: true },
  controls: { what: "controls", item: "control", items: "controls" },
};

const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** The contract words its messages "<field> …" or "<field>: …". */
const speaksToApiClients = (field: string, message: string) => message.startsWith(`${field} `) || message.startsWith(`${field}:`);

/** One issue in words for the person at the form. */
export function humanMessage(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? "");
  if (!speaksToApiClients(field, issue.message)) return issue.message;
  const words = FIELDS[field];
  const nested = issue.path.length > 1;
  const rest = issue.message.slice(field.length).replace(/^:?\s*/, "");
  // A field the table does not know is a hidden one (an id the page filled in): left as it is.
  if (!words) return issue.message;
  // An element of a list: a picked one that is not in the list, or the element's own words.
  if (nested) return words.chosen && words.items ? `Choose ${words.items} from the list.` : sentence(rest);
  const verb = words.chosen ? "Choose" : "Enter";
  switch (issue.code) {
    case "invalid_type":
      return `${verb} ${words.what}.`;
    case "too_small":
      if (issue.origin === "array") return `${verb} at least one ${words.item ?? "item"}.`;
      return Number(issue.minimum) <= 1 ? `${verb} ${words.what}.` : `Use at least ${issue.minimum} characters.`;
    case "too_big":
      if (issue.origin === "array") return `${verb} at most ${issue.maximum} ${words.items ?? "items"} at a time.`;
      return `Use at most ${issue.maximum} characters.`;
    case "invalid_format":
      return words.chosen ? `Choose ${words.what} from the list.` : sentence(rest);
    default:
      return sentence(rest);
  }
}

/**
 * Field errors keyed by the form field (the first path segment: a list's element errors belong
 * to the list's field), each once, in people's words. Issues without a path go under "form".
 */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    const list = (fields[key] ??= []);
    const message = humanMessage(issue);
    if (!list.includes(message)) list.push(message);
  }
  return fields;
}

/** A failed parse as an action answer: the messages at their fields, the first one as the summary. */
export function invalidForm(error: z.ZodError): { ok: false; error: string; fieldErrors: Record<string, string[]> } {
  const fieldErrors = fieldErrorsOf(error);
  return { ok: false, error: Object.values(fieldErrors).flat()[0] ?? "Check the form.", fieldErrors };
}

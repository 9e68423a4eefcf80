// The words people read: form errors in their terms (lib/actions/field-errors.ts), relative
// times rounded the way a person would say them (lib/format.ts) and what the invitations list
// says about an email when mail is not configured (app/settings/invitations/delivery.ts).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deliveryNote } from "@/app/settings/invitations/delivery";
import { fieldErrorsOf, invalidForm } from "@/lib/actions/field-errors";
import { relativeTime } from "@/lib/format";
import { CreateApiKeyBody } from "@/lib/validation/api-keys";
import { CreateInvitationsBody } from "@/lib/validation/invitations";
import { GovernancePolicyBody } from "@/lib/validation/governance";
import { RoleBody } from "@/lib/validation/roles";

const errorsOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected a failed parse");
  return fieldErrorsOf(parsed.error);
};

describe("form errors", () => {
  it("turn the contract's messages for API clients into one sentence per field", () => {
    expect(errorsOf(CreateApiKeyBody, { name: "   " })).toEqual({ name: ["Enter a name."] });
    expect(errorsOf(CreateApiKeyBody, {})).toEqual({ name: ["Enter a name."] });
    expect(errorsOf(CreateApiKeyBody, { name: "x".repeat(101) })).toEqual({ name: ["Use at most 100 characters."] });
    expect(errorsOf(RoleBody, { name: "Ops", description: "d".repeat(501), policyIds: [] })).toEqual({ description: ["Use at most 500 characters."] });
    expect(errorsOf(CreateInvitationsBody, { emails: [] })).toEqual({ emails: ["Enter at least one email address."] });
    expect(errorsOf(CreateInvitationsBody, { emails: ["a@b.c"], organizationRoleId: "admin" })).toEqual({
      organizationRoleId: ["Choose a role from the list."],
    });
  });

  it("file a list's element errors under the list's field, each message once", () => {
    // Two bad ids, one message, at the field the form shows (not "policyIds.0" and "policyIds.1").
    expect(errorsOf(RoleBody, { name: "Ops", policyIds: ["x", "y"] })).toEqual({ policyIds: ["Choose policies from the list."] });
    expect(errorsOf(GovernancePolicyBody, { name: "G", controls: [{ name: " ", type: "RUNTIME" }] })).toEqual({
      controls: ["A control's name must not be empty."],
    });
  });

  it("leave messages already written for people, and hidden fields' messages, as they are", () => {
    const Form = z.object({
      projectIds: z.array(z.string()).min(1, "Choose at least one project."),
      apiKeyId: z.string().regex(/^\d+$/, "must be a positive integer"),
    });
    expect(errorsOf(Form, { projectIds: [], apiKeyId: "x" })).toEqual({
      projectIds: ["Choose at least one project."],
      apiKeyId: ["must be a positive integer"],
    });
  });

  it("summarise a failure with its first field's message", () => {
    const parsed = CreateApiKeyBody.safeParse({ name: "" });
    expect(parsed.success ? null : invalidForm(parsed.error)).toEqual({ ok: false, error: "Enter a name.", fieldErrors: { name: ["Enter a name."] } });
  });
});

describe("relativeTime", () => {
  const now = new Date("2026-06-01T12:00:00.000Z");
  const at = (ms: number) => new Date(now.getTime() + ms);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;

  it("says a fresh 7-day invitation expires in 7 days, also a moment after it was sent", () => {
    expect(relativeTime(at(7 * DAY), now)).toBe("in 7 days");
    expect(relativeTime(at(7 * DAY - 5 * MIN), now)).toBe("in 7 days");
    expect(relativeTime(at(6 * DAY + 13 * HOUR), now)).toBe("in 7 days");
    expect(relativeTime(at(6 * DAY + 11 * HOUR), now)).toBe("in 6 days");
  });

  it("rounds to the nearest unit without ever saying 24 hours or 60 minutes", () => {
    expect(relativeTime(at(23 * HOUR + 40 * MIN), now)).toBe("in 1 day");
    expect(relativeTime(at(23 * HOUR + 20 * MIN), now)).toBe("in 23 hours");
    expect(relativeTime(at(59 * MIN + 45_000), now)).toBe("in 1 hour");
    expect(relativeTime(at(-(6 * MIN + 20_000)), now)).toBe("6 minutes ago");
    expect(relativeTime(at(-36 * HOUR), now)).toBe("2 days ago");
    expect(relativeTime(at(-10_000), now)).toBe("just now");
    expect(relativeTime(at(10_000), now)).toBe("in under a minute");
  });
});

describe("the invitations list's email delivery note", () => {
  it("does not call a queued email 'last sent' when no mail provider is configured", () => {
    const off = deliveryNote("QUEUED", "none");
    expect(off).toMatchObject({ label: "Not sent", hint: expect.stringMatching(/^Email is not configured/) });
    expect(off.since).toBeFalsy();
    expect(deliveryNote("QUEUED", "resend")).toMatchObject({ label: "Queued", hint: "Queued", since: true });
  });

  it("says where a development email went: the development mailbox", () => {
    expect(deliveryNote("SENT", "mailbox")).toMatchObject({ label: "In the dev mailbox", href: "/dev/mailbox" });
    expect(deliveryNote("QUEUED", "mailbox")).toMatchObject({ hint: "Queued for the development mailbox", href: "/dev/mailbox" });
    expect(deliveryNote("SENT", "resend")).toMatchObject({ label: "Sent", hint: "Last sent", since: true });
  });
});

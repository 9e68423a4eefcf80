import { describe, expect, it } from "vitest";
import {
  EMAIL_KINDS,
  EMAIL_PREVIEWS,
  renderEmail,
  renderPreview,
  type InvitationEmailProps,
} from "@/emails";
import { previewProps as invitationDefaults } from "@/emails/invitation";

const hrefs = (html: string) => [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]);

const invite = (overrides: Partial<InvitationEmailProps> = {}) =>
  renderEmail("invitation", { ...invitationDefaults, ...overrides });

describe("email templates", () => {
  it("has a preview fixture for every kind", () => {
    expect(EMAIL_PREVIEWS.map((p) => p.kind).sort()).toEqual([...EMAIL_KINDS].sort());
  });

  it.each(EMAIL_PREVIEWS.map((p) => [p.kind, p] as const))(
    "%s renders HTML and text from its default props, linking only to its URL prop",
    async (_kind, preview) => {
      const { subject, html, text } = await renderPreview(preview);
      const props = preview.props as Record<string, unknown>;
      const url = String(props.inviteUrl ?? props.membersUrl ?? props.signInUrl ?? props.url);
      expect(subject.length).toBeGreaterThan(0);
      expect(subject).not.toMatch(/[\r\n]/);
      expect(html).toMatch(/^<!DOCTYPE html/);
      expect(html).toContain("Confident");
      expect(hrefs(html).map((h) => h?.replaceAll("&amp;", "&"))).toEqual([url]);
      expect(text).toContain(url);
      expect(text).not.toMatch(/<[a-z]/i);
    },
  );

  it("invitation: one link to the invite URL, URL printed for button-blocking clients", async () => {
    const { html, text } = await invite();
    const url = invitationDefaults.inviteUrl;
    expect(hrefs(html)).toEqual([url]);
    expect(html.split(url)).toHaveLength(3); // the button's href + the plain-text copy
    expect(html).toContain("Ada Lovelace invited you to join");
    expect(html).toContain("Acme Research");
    expect(html).toContain("Admin");
    expect(html).toContain("December 4, 2026");
    expect(html).toContain("you can ignore this email");
    expect(text).toContain(`Accept invitation ${url}`);
    expect(text).toContain("Ada Lovelace invited you to join Acme Research");
    expect(text).toContain("This invitation expires on December 4, 2026.");
    expect(text.split(url)).toHaveLength(2); // once, not repeated by the HTML-only fallback
  });

  it("formats the expiry date in UTC", async () => {
    const { html } = await invite({ expiresAt: "2026-12-04T23:59:59-05:00" });
    expect(html).toContain("December 5, 2026");
  });

  it("uses neutral wording when the inviter is unknown", async () => {
    for (const inviterName of [null, "  "]) {
      const { html, text } = await invite({ inviterName });
      expect(html).toContain("You have been invited to join");
      expect(text).toContain("You have been invited to join Acme Research");
    }
  });

  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['Evil <a href="https://x">', "Evil &lt;a href=&quot;https://x&quot;&gt;"],
  ])("escapes attacker-controlled names: %s", async (name, escaped) => {
    const { html, subject } = await invite({ orgName: name, inviterName: name, roleName: name });
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<a\b/g)).toHaveLength(1); // the button; the name's "<a" is text
    expect(hrefs(html)).toEqual([invitationDefaults.inviteUrl]);
    expect(html).toContain(escaped);
    expect(subject).toBe(`Join ${name} on Confident`);

    const accepted = await renderEmail("invitation-accepted", {
      orgName: name,
      inviteeEmail: name,
      roleName: name,
      membersUrl: "http://localhost:3000/settings/members",
    });
    expect(accepted.html).not.toMatch(/<script/i);
    expect(accepted.html.match(/<a\b/g)).toHaveLength(1);
    expect(hrefs(accepted.html)).toEqual(["http://localhost:3000/settings/members"]);
  });

  it("keeps subjects on one line", async () => {
    const { subject } = await invite({ orgName: "Acme\r\nBcc: victim@example.com" });
    expect(subject).toBe("Join Acme Bcc: victim@example.com on Confident");
  });

  it("has the right subjects", async () => {
    const subjects = await Promise.all(
      EMAIL_PREVIEWS.map(async (p) => [p.kind, (await renderPreview(p)).subject]),
    );
    expect(Object.fromEntries(subjects)).toEqual({
      invitation: "Join Acme Research on Confident",
      "invitation-accepted": "grace@example.com accepted your invitation to Acme Research",
      "sign-in-link": "Sign in to Confident",
      "verify-email": "Verify your email address for Confident",
      "account-exists": "You already have a Confident account",
    });
  });

  it("names the project and its organization in a project invitation, and in its acceptance", async () => {
    const invitation = await renderEmail("invitation", { ...invitationDefaults, projectName: "Forecasting" });
    expect(invitation.subject).toBe("Join Forecasting (Acme Research) on Confident");
    expect(invitation.text).toContain("Ada Lovelace invited you to join the project Forecasting in Acme Research");
    expect(invitation.text).toContain("get access to the project on Confident");
    const accepted = await renderEmail("invitation-accepted", {
      orgName: "Acme Research",
      projectName: "Forecasting",
      inviteeEmail: "grace@example.com",
      roleName: "Manager",
      membersUrl: "http://localhost:3000/settings/projects/p1",
    });
    expect(accepted.subject).toBe("grace@example.com accepted your invitation to Forecasting in Acme Research");
    expect(accepted.text).toContain("the project Forecasting in Acme Research as Manager");
  });

  it("says who accepted, where and as what", async () => {
    const { text } = await renderPreview(EMAIL_PREVIEWS.find((p) => p.kind === "invitation-accepted")!);
    expect(text).toContain("grace@example.com accepted your invitation to Acme Research as Member.");
  });

  it("states the sign-in link lifetime", async () => {
    const short = await renderEmail("sign-in-link", { url: "https://app.test/s", expiresInMinutes: 15 });
    expect(short.text).toContain("expires in 15 minutes");
    const day = await renderEmail("sign-in-link", { url: "https://app.test/s", expiresInMinutes: 1440 });
    expect(day.text).toContain("expires in 24 hours");
  });

  it("refuses link props that are not absolute http(s) URLs", async () => {
    await expect(invite({ inviteUrl: "javascript:alert(1)" })).rejects.toThrow(/inviteUrl/);
    await expect(renderEmail("verify-email", { url: "/verify?token=x" })).rejects.toThrow(/url/);
  });

  it("refuses an invalid expiry date instead of mailing 'Invalid Date'", async () => {
    await expect(invite({ expiresAt: "not a date" })).rejects.toThrow();
  });
});

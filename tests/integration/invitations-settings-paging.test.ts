// The invitations settings pages (organization and project) page their lists 50 at a time with an
// "Older invitations" link, keeping the filters; rendered in process against the test database.
// Only the session edge is mocked: getWorkspace answers the real workspace of the org's Owner.
import { randomBytes } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import InvitationsPage from "@/app/settings/invitations/page";
import ProjectInvitationsPage from "@/app/settings/projects/[projectId]/invitations/page";
import { getWorkspace } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

vi.mock("@/lib/auth/session", () => ({ getWorkspace: vi.fn() }));

const HOUR = 3_600_000;
let org: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: org.ownerId },
    select: { id: true, email: true, name: true, emailVerified: true },
  });
  const { active, organizations } = await resolveActiveOrganization(user.id, org.id);
  vi.mocked(getWorkspace).mockResolvedValue({ user: { ...user, hasPassword: false, sessionId: "" }, active, organizations });
});

/** `count` invitations one second apart, `email<i>@example.com`, 0 the oldest. */
async function seed(count: number, { status = "PENDING", tag = "p", expired = false, projectId }: {
  status?: "PENDING" | "DECLINED";
  tag?: string;
  expired?: boolean;
  projectId?: string;
} = {}) {
  const base = Date.now() - 2 * HOUR;
  await getPrisma().invitation.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      organizationId: org.id,
      projectId: projectId ?? null,
      email: `${tag}${i}@example.com`,
      roleId: projectId ? PROJECT_ROLES.Member : SYSTEM_ROLES.Member,
      status,
      tokenHash: randomBytes(32).toString("hex"),
      expiresAt: new Date(Date.now() + (expired ? -HOUR : 7 * 24 * HOUR)),
      createdAt: new Date(base + i * 1000),
    })),
  });
}

async function orgPage(params: Record<string, string> = {}) {
  return renderToStaticMarkup(await InvitationsPage({ searchParams: Promise.resolve(params) }));
}

/** The emails listed in the table of one section (its heading id). */
function emailsIn(html: string, heading: "list-heading" | "declined-heading") {
  const start = html.indexOf(`id="${heading}"`);
  if (start < 0) return [];
  const end = html.indexOf("</section>", start);
  return [...html.slice(start, end).matchAll(/<td>([a-z0-9-]+@example\.com)<\/td>/g)].map((m) => m[1]);
}

/** The href of the link with this text, HTML entities undone. */
function linkTo(html: string, text: string): string | null {
  const match = new RegExp(`<a[^>]*href="([^"]*)"[^>]*>${text}</a>`).exec(html);
  return match ? match[1]!.replaceAll("&amp;", "&") : null;
}

const paramsOf = (href: string) => Object.fromEntries(new URL(href, "http://localhost").searchParams);

describe("the organization's invitations page", () => {
  it("shows 50 open invitations, newest first, and an Older invitations link to the next 50; Newest leads back", async () => {
    await seed(120);
    const first = await orgPage();
    const newest = Array.from({ length: 50 }, (_, i) => `p${119 - i}@example.com`);
    expect(emailsIn(first, "list-heading")).toEqual(newest);
    expect(first).toContain("Open invitations <span class=\"muted\">(120)</span>");
    expect(first).toContain("Showing 50 of 120");
    expect(linkTo(first, "Newest")).toBeNull();
    const older = linkTo(first, "Older invitations")!;
    expect(older).toMatch(/^\/settings\/invitations\?cursor=[A-Za-z0-9_-]+$/);
    expect(first).toMatch(/<nav class="row" aria-label="Open invitations pages">/);
    expect(first).toMatch(/class="button button-secondary" rel="next"[^>]*>Older invitations</);

    const second = await orgPage(paramsOf(older));
    expect(emailsIn(second, "list-heading")).toEqual(Array.from({ length: 50 }, (_, i) => `p${69 - i}@example.com`));
    expect(linkTo(second, "Newest")).toBe("/settings/invitations");
    const third = await orgPage(paramsOf(linkTo(second, "Older invitations")!));
    expect(emailsIn(third, "list-heading")).toEqual(Array.from({ length: 20 }, (_, i) => `p${19 - i}@example.com`));
    expect(linkTo(third, "Older invitations")).toBeNull();
    expect(third).toContain("Showing 20 of 120");
  });

  it("keeps the filters on the paging links, and pages the Expired and Declined lists on their own", async () => {
    await seed(60, { tag: "live" });
    await seed(55, { tag: "gone", expired: true });
    await seed(53, { tag: "no", status: "DECLINED" });

    const expired = await orgPage({ status: "EXPIRED", email: "gone" });
    expect(emailsIn(expired, "list-heading")).toHaveLength(50);
    expect(emailsIn(expired, "list-heading").every((e) => e!.startsWith("gone"))).toBe(true);
    expect(emailsIn(expired, "declined-heading")).toEqual([]);
    const next = paramsOf(linkTo(expired, "Older invitations")!);
    expect(next).toEqual({ status: "EXPIRED", email: "gone", cursor: expect.any(String) });
    const rest = await orgPage(next);
    expect(emailsIn(rest, "list-heading")).toEqual(["gone4@example.com", "gone3@example.com", "gone2@example.com", "gone1@example.com", "gone0@example.com"]);
    expect(paramsOf(linkTo(rest, "Newest")!)).toEqual({ status: "EXPIRED", email: "gone" });

    const pending = await orgPage({ status: "PENDING" });
    expect(pending).toContain("Open invitations <span class=\"muted\">(60)</span>");
    expect(emailsIn(pending, "list-heading").every((e) => e!.startsWith("live"))).toBe(true);

    // Unfiltered: open ones (live and expired) and declined ones each in their own section and pages.
    const all = await orgPage();
    expect(all).toContain("Open invitations <span class=\"muted\">(115)</span>");
    expect(all).toContain("Declined <span class=\"muted\">(53)</span>");
    expect(emailsIn(all, "declined-heading")).toEqual(Array.from({ length: 50 }, (_, i) => `no${52 - i}@example.com`));
    const olderDeclined = paramsOf(linkTo(all, "Older declined invitations")!);
    expect(Object.keys(olderDeclined)).toEqual(["declined"]);
    // Paging the declined list leaves the open list where it is, and the other way round.
    const both = await orgPage({ ...paramsOf(linkTo(all, "Older invitations")!), ...olderDeclined });
    expect(emailsIn(both, "declined-heading")).toEqual(["no2@example.com", "no1@example.com", "no0@example.com"]);
    expect(emailsIn(both, "list-heading")).toHaveLength(50);
    expect(Object.keys(paramsOf(linkTo(both, "Newest")!))).toEqual(["declined"]);
  });

  it("starts from the newest for a cursor that does not decode", async () => {
    await seed(51);
    const html = await orgPage({ cursor: "garbage!" });
    expect(emailsIn(html, "list-heading")[0]).toBe("p50@example.com");
  });
});

describe("a project's invitations page", () => {
  it("pages the project's open invitations with the same links", async () => {
    const projectId = (await getPrisma().project.create({ data: { organizationId: org.id, name: "Forecasting" } })).id;
    await seed(10, { tag: "org" });
    await seed(75, { projectId });
    const render = async (params: Record<string, string> = {}) =>
      renderToStaticMarkup(await ProjectInvitationsPage({ params: Promise.resolve({ projectId }), searchParams: Promise.resolve(params) }));
    const first = await render();
    expect(emailsIn(first, "list-heading")).toEqual(Array.from({ length: 50 }, (_, i) => `p${74 - i}@example.com`));
    const older = linkTo(first, "Older invitations")!;
    expect(older).toMatch(new RegExp(`^/settings/projects/${projectId}/invitations\\?cursor=`));
    const second = await render(paramsOf(older));
    expect(emailsIn(second, "list-heading")).toEqual(Array.from({ length: 25 }, (_, i) => `p${24 - i}@example.com`));
    expect(linkTo(second, "Older invitations")).toBeNull();
    expect(linkTo(second, "Newest")).toBe(`/settings/projects/${projectId}/invitations`);
  });
});

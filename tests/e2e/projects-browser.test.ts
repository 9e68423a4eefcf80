// Projects and governance in a real browser (Debian's Chromium via playwright-core) against
// `next build && next start` on PostgreSQL, with email going to a loopback fake Resend: the admin
// creates a project (its default key shown once), invites someone from outside the organization
// to it by email, the invitee proves the address with an emailed sign-in link and accepts (joining
// the organization as Member and the project with the invited role), a project key is created,
// a governance policy with controls covers the project, and every new page works at 390 px wide
// and on a desktop, under the CSP. Screenshots land in test-results/screenshots/.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { screenshot, screenshotsTaken } from "../helpers/browser";
import {
  INVITE_LINK,
  mailedLink,
  overflowingElements,
  signInWithPassword,
  startBrowserApp,
  useSignInLink,
  type BrowserApp,
} from "../helpers/browser-app";

const ADMIN = { email: "admin@projects.test", password: "admin-password-123" };
const INVITEE = "outsider@projects.test";

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp(`confident_projects_browser_${process.pid}`, {
    INIT_ORG_NAME: "Projects Org",
    INIT_ORG_PLAN: "TEAM",
    INIT_USER_EMAIL: ADMIN.email,
    INIT_USER_PASSWORD: ADMIN.password,
  });
});

afterAll(async () => {
  await app?.stop();
  console.log(`Screenshots:\n${screenshotsTaken().map((f) => `  ${f}`).join("\n")}`);
});

const text = async (page: Page) => (await page.locator("main").textContent()) ?? "";
const rowText = async (page: Page, name: RegExp) => (await page.getByRole("row", { name }).textContent()) ?? "";

/** The page's only one-time key: its value, after checking it is a key of `prefix`. */
async function revealedKey(page: Page, prefix: string) {
  await expect.poll(() => page.getByTestId("new-api-key").count()).toBe(1);
  const value = ((await page.getByTestId("new-api-key").textContent()) ?? "").trim();
  expect(value).toMatch(new RegExp(`^${prefix}[0-9a-f]{32,}$`));
  return value;
}

describe("projects and governance in Chromium", () => {
  it("creates a project, invites an outsider who joins it, makes a key and enrolls it in a policy", async () => {
    onTestFailed(() => console.log(`Server log (end):\n${app.serverOutput().slice(-4000)}`));
    const admin = await app.newSession();
    const page = admin.page;
    await signInWithPassword(page, ADMIN.email, ADMIN.password);

    // The empty list says what to do; the nav leads there.
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Projects" }).click();
    await page.waitForURL(/\/settings\/projects$/);
    await expect.poll(() => text(page)).toMatch(/No projects yet\.[\s\S]*Create one above/);
    await screenshot(page, "projects-empty");

    // Create with the admin as Owner: the default key appears once, and not after a reload.
    const create = page.getByRole("form", { name: "Create a project" });
    await create.getByLabel("Name", { exact: true }).fill("Support bot");
    await create.getByLabel(/Description/).fill("Answers customer tickets");
    await create.getByLabel(/Owner/).selectOption(ADMIN.email);
    await create.getByRole("button", { name: "Create project" }).click();
    const defaultKey = await revealedKey(page, "confident_proj_");
    await expect.poll(() => text(page)).toMatch(/Created the project “Support bot” with its default API key/);
    await screenshot(page, "projects-created");
    await page.reload();
    await expect.poll(() => rowText(page, /Support bot/)).toMatch(/Answers customer tickets[\s\S]*None/);
    expect(await page.content()).not.toContain(defaultKey);
    const { rows: keyRows } = await app.db.query(`SELECT k.name FROM "ApiKey" k JOIN "Project" p ON p.id = k."projectId" WHERE p.name = 'Support bot'`);
    expect(keyRows).toEqual([{ name: "Default Key" }]);

    // The project's own pages.
    await page.getByRole("link", { name: "Support bot" }).click();
    await page.waitForURL(/\/settings\/projects\/[^/]+$/);
    const projectUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Support bot" }).isVisible()).toBe(true);
    const details = page.getByRole("form", { name: "Rename the project" });
    await details.getByLabel(/Description/).fill("Answers customer tickets by email");
    await details.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => details.getByRole("status").textContent()).toBe("Project saved.");
    await screenshot(page, "project-settings");

    // Invite an address from outside the organization with the SAME form as the org page.
    const tabs = page.getByRole("navigation", { name: "Project sections" });
    await tabs.getByRole("link", { name: "Invitations" }).click();
    await page.waitForURL(/\/invitations$/);
    await page.getByLabel(/Emails/).fill(`${INVITEE}\nnot-an-email`);
    await page.getByLabel("Role", { exact: true }).selectOption({ label: "Manager" });
    await page.getByRole("button", { name: "Send invitations" }).click();
    const results = page.getByRole("table", { name: /results/i });
    await expect.poll(async () => (await results.textContent()) ?? "").toMatch(/outsider@projects\.test[\s\S]*Invited[\s\S]*not-an-email[\s\S]*Invalid/);
    await expect.poll(() => rowText(page, /outsider@projects\.test[\s\S]*Pending/)).toMatch(/Manager/);
    await screenshot(page, "project-invitations-results");

    // The invitee opens the emailed link signed out, gets a sign-in link by email ("Continue
    // with email"), presses "Sign in" on its page, comes back to the invitation and accepts.
    const invitee = await app.newSession();
    await invitee.page.goto(await mailedLink(app.fake, INVITEE, INVITE_LINK));
    await expect.poll(() => invitee.page.getByRole("heading", { name: "Join Support bot" }).isVisible()).toBe(true);
    expect(await invitee.page.locator("main").textContent()).toMatch(/the project Support bot in Projects Org[\s\S]*Manager/);
    await screenshot(invitee.page, "invite-project-signed-out");
    await invitee.page.getByRole("button", { name: "Continue with email" }).click();
    await invitee.page.waitForURL(/check-email/);
    await useSignInLink(app.fake, invitee.page, INVITEE);
    await invitee.page.waitForURL(/\/invite\//);
    await invitee.page.getByRole("button", { name: "Accept invitation" }).click();
    // Accepting opens the project, which says whom they joined.
    await invitee.page.waitForURL(new RegExp(`${projectUrl}\\?joined=1$`));
    await expect.poll(() => invitee.page.getByTestId("joined").textContent()).toMatch(/You joined Support bot in Projects Org as Manager/);
    await screenshot(invitee.page, "project-joined");

    // An org Member now, and a project Manager.
    await page.goto("/settings/members");
    await expect.poll(() => rowText(page, /outsider@projects\.test/)).toMatch(/Member/);
    await page.goto(`${projectUrl}/members`);
    await expect.poll(() => rowText(page, /outsider@projects\.test/)).toMatch(/Manager/);
    expect(await rowText(page, /admin@projects\.test/)).toMatch(/Owner/);
    await screenshot(page, "project-members");
    const { rows: joined } = await app.db.query(
      `SELECT r.name AS org, pr.name AS project FROM "User" u
         JOIN "Membership" m ON m."userId" = u.id JOIN "Role" r ON r.id = m."roleId"
         JOIN "ProjectMembership" pm ON pm."userId" = u.id JOIN "Role" pr ON pr.id = pm."roleId"
        WHERE u.email = $1`,
      [INVITEE],
    );
    expect(joined).toEqual([{ org: "Member", project: "Manager" }]);

    // A project key made on the project page is shown once.
    await tabs.getByRole("link", { name: "API keys" }).click();
    await page.waitForURL(/\/api-keys$/);
    await page.getByLabel("Name", { exact: true }).fill("CI pipeline");
    await page.getByRole("button", { name: "Create key" }).click();
    const projectKey = await revealedKey(page, "confident_proj_");
    await screenshot(page, "project-api-keys-created");
    await page.reload();
    await expect.poll(() => rowText(page, /CI pipeline/)).toMatch(new RegExp(`\\*{15}${projectKey.slice(-6)}[\\s\\S]*Active`));
    expect(await page.content()).not.toContain(projectKey);

    await tabs.getByRole("link", { name: "Roles & policies" }).click();
    await page.waitForURL(/\/roles$/);
    await expect.poll(() => page.getByRole("heading", { name: "Custom roles" }).isVisible()).toBe(true);
    expect(await text(page)).toMatch(/Owner[\s\S]*Manager[\s\S]*Member/);
    await screenshot(page, "project-roles");

    // Governance: a policy with two controls, then the project assigned to it with the picker.
    await page.goto("/settings/governance");
    await expect.poll(() => text(page)).toMatch(/No governance policies yet/);
    await screenshot(page, "governance-empty");
    const policyForm = page.getByRole("form", { name: "Create a governance policy" });
    await policyForm.getByLabel("Name", { exact: true }).fill("Production");
    await policyForm.getByLabel("Control 1", { exact: true }).fill("Toxicity guardrail");
    await policyForm.getByRole("button", { name: "Add a control" }).click();
    await policyForm.getByLabel("Control 2", { exact: true }).fill("Jailbreak red teaming");
    await policyForm.locator('select[name="controlType"]').nth(1).selectOption("PRE_DEPLOYMENT_RED_TEAMING");
    await policyForm.getByRole("button", { name: "Create policy" }).click();
    await expect.poll(() => policyForm.getByRole("status").textContent()).toMatch(/Created the governance policy “Production”/);
    const policy = page.getByRole("region", { name: "Production" });
    await expect.poll(async () => (await policy.textContent()) ?? "").toMatch(/Toxicity guardrail[\s\S]*Runtime[\s\S]*Jailbreak red teaming[\s\S]*Pre-deployment red teaming/);
    await policy.getByText("Assign projects", { exact: true }).click();
    await policy.getByLabel(/Support bot/).check();
    await policy.getByRole("button", { name: "Assign selected projects" }).click();
    await expect.poll(() => policy.getByRole("list", { name: "Projects on Production" }).textContent()).toMatch(/Support bot/);
    await expect.poll(() => policy.getByRole("form", { name: "Assign projects to Production" }).getByRole("status").textContent()).toBe(
      "Assigned 1 project to “Production”.",
    );
    await screenshot(page, "governance");

    // Each project's policy is visible on the Projects page.
    await page.goto("/settings/projects");
    await expect.poll(() => rowText(page, /Support bot/)).toMatch(/Production/);
    await screenshot(page, "projects-list");

    // The audit log filters by project.
    const projectId = projectUrl.split("/").at(-1)!;
    await page.goto(`/settings/audit-log?project=${projectId}`);
    const events = page.getByRole("table", { name: "Audit events, newest first" });
    await expect.poll(async () => (await events.textContent()) ?? "").toMatch(/Project assigned to a governance policy[\s\S]*Project created/);
    // The policy itself is the organization's, not the project's.
    expect(await events.textContent()).not.toMatch(/Governance policy created/);
    // The project and the policy by name, never by id.
    expect(await events.textContent()).toMatch(/Project "Support bot"[\s\S]*governance policy:\s*Production/);
    expect(await events.textContent()).not.toContain(`project ${projectId}`);
    await screenshot(page, "audit-log-project-filter");

    // The invitee (an org Member) sees only their project and no create form; a project they are
    // not in is the normal not-found page.
    await page.goto("/settings/projects");
    await page.getByRole("form", { name: "Create a project" }).getByLabel("Name", { exact: true }).fill("Secret plans");
    await page.getByRole("button", { name: "Create project" }).click();
    await revealedKey(page, "confident_proj_");
    const { rows: secret } = await app.db.query(`SELECT id FROM "Project" WHERE name = 'Secret plans'`);
    await invitee.page.goto("/settings/projects");
    await expect.poll(() => text(invitee.page)).toMatch(/Your projects \(1\)[\s\S]*Support bot/);
    expect(await text(invitee.page)).not.toMatch(/Secret plans/);
    expect(await invitee.page.getByRole("form", { name: "Create a project" }).count()).toBe(0);
    await screenshot(invitee.page, "projects-as-member");
    const hidden = await invitee.page.goto(`/settings/projects/${secret[0].id}`);
    expect(hidden?.status()).toBe(404);
    expect(await invitee.page.textContent("body")).toMatch(/could not be found/i);

    // Deleting a project from its page, with the keyboard: the dialog says what goes, Escape
    // cancels, confirming deletes it and lands on the list, which says so.
    await page.goto(`/settings/projects/${secret[0].id}`);
    const deleteButton = page.getByRole("button", { name: "Delete this project" });
    await deleteButton.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.textContent()).toMatch(/API keys[\s\S]*memberships[\s\S]*open invitations[\s\S]*custom roles and policies[\s\S]*governance[\s\S]*audit log keeps its events/);
    await screenshot(page, "project-delete-dialog");
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await deleteButton.focus();
    await page.keyboard.press("Enter");
    await dialog.getByRole("button", { name: "Delete project" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/settings\/projects\?deleted=1$/);
    await expect.poll(() => text(page)).toMatch(/The project was deleted/);
    expect(await text(page)).not.toMatch(/Secret plans/);

    // Every new page at 390 px: nothing wider than the screen, tables scroll inside their card.
    const phone = await app.newSession({ viewport: { width: 390, height: 844 }, storageState: await admin.context.storageState() });
    for (const [path, name] of [
      ["/settings/projects", "projects-mobile"],
      [projectUrl, "project-settings-mobile"],
      [`${projectUrl}/members`, "project-members-mobile"],
      [`${projectUrl}/invitations`, "project-invitations-mobile"],
      [`${projectUrl}/api-keys`, "project-api-keys-mobile"],
      [`${projectUrl}/roles`, "project-roles-mobile"],
      ["/settings/governance", "governance-mobile"],
    ] as const) {
      await phone.page.goto(path);
      await expect.poll(() => phone.page.getByRole("heading", { level: 1 }).count()).toBeGreaterThan(0);
      expect(await overflowingElements(phone.page), `${path} at 390 px`).toEqual([]);
      await screenshot(phone.page, name);
      await page.goto(path);
      expect(await overflowingElements(page), `${path} on a desktop`).toEqual([]);
    }

    // The delete dialog fits a phone too.
    await phone.page.goto(projectUrl);
    await phone.page.getByRole("button", { name: "Delete this project" }).click();
    const box = await phone.page.getByRole("dialog").boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await screenshot(phone.page, "project-delete-dialog-mobile");
    await phone.page.keyboard.press("Escape");

    // The whole journey ran under the CSP without a single violation.
    expect(app.cspViolations()).toEqual([]);
    await Promise.all([admin, invitee, phone].map((session) => session.context.close()));
  });
});

// No table ever holds a raw invitation token or API key: after creates and resends, every
// row of every table is scanned for the raw values.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import * as item from "@/app/v1/organization/invitations/[invitationId]/route";
import { createInvitations, resendInvitation } from "@/lib/services/invitations";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { call } from "../helpers/api";
import { createOrg } from "../helpers/fixtures";

afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

async function everyStoredValue(): Promise<string> {
  const prisma = getPrisma();
  const tables = await prisma.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const dumps = await Promise.all(
    tables.map(({ tablename }) => prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${tablename}" t`)),
  );
  return dumps.flat().map((r) => r.row).join("\n");
}

describe("secrets at rest", () => {
  it("keeps no raw invitation token, invite link or API key in any table", async () => {
    vi.stubEnv("INVITATION_RESEND_COOLDOWN_SECONDS", "0");
    reloadEnv();
    const org = await createOrg();
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "test-request" };
    const created = await createInvitations(ctx, { emails: ["a@example.com", "b@example.com"] });
    const resent = await resendInvitation(ctx, created.invitations[0]!.id);
    await call(collection, "GET", { key: org.key });
    await call(item, "PUT", { key: org.key, params: { invitationId: String(created.invitations[1]!.id) } });

    const tokens = [...created.tokens.values(), resent.token];
    expect(tokens).toHaveLength(3);
    const stored = await everyStoredValue();
    expect(stored.length).toBeGreaterThan(1000);
    for (const secret of [...tokens, org.key, org.key.slice("confident_org_".length)]) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).not.toContain("/invite/");
  });
});

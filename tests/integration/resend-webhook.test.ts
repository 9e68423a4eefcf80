import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/webhooks/resend/route";
import * as collection from "@/app/v1/organization/invitations/route";
import { getPrisma } from "@/lib/db";
import { signSvix } from "@/lib/email/webhook-signature";
import { reloadEnv } from "@/lib/env";
import { call } from "../helpers/api";
import { createOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const SECRET = "whsec_" + Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
let invitationId: number;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  vi.stubEnv("RESEND_WEBHOOK_SECRET", SECRET);
  reloadEnv();
  const org = await createOrg();
  const res = await call(collection, "POST", { key: org.key, body: { emails: ["ada@example.com"] } });
  invitationId = res.body.data.invitations[0].id;
  // As if the worker had sent it and Resend had answered with this id.
  await getPrisma().emailOutbox.updateMany({ data: { status: "SENT", providerId: "re_msg_1", secret: null } });
  await getPrisma().invitation.update({ where: { id: invitationId }, data: { emailStatus: "SENT" } });
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

function webhook(type: string, emailId = "re_msg_1", tamper?: { secret?: string; timestamp?: number; body?: string }) {
  const body = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: emailId, to: ["ada@example.com"] } });
  const timestamp = tamper?.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signSvix(tamper?.secret ?? SECRET, "msg_123", timestamp, body);
  return POST(
    new Request("http://localhost/api/webhooks/resend", {
      method: "POST",
      headers: { "svix-id": "msg_123", "svix-timestamp": String(timestamp), "svix-signature": `v1,${signature}` },
      body: tamper?.body ?? body,
    }),
  );
}

const status = async () => (await getPrisma().invitation.findUniqueOrThrow({ where: { id: invitationId } })).emailStatus;

describe("POST /api/webhooks/resend", () => {
  it("maps delivered and bounced onto the invitation", async () => {
    expect((await webhook("email.delivered")).status).toBe(200);
    expect(await status()).toBe("DELIVERED");
    expect((await webhook("email.bounced")).status).toBe(200);
    expect(await status()).toBe("BOUNCED");
    // A late "delivered" does not undo a bounce.
    await webhook("email.delivered");
    expect(await status()).toBe("BOUNCED");
  });

  it("treats a spam complaint like a bounce", async () => {
    await webhook("email.complained");
    expect(await status()).toBe("BOUNCED");
  });

  it("rejects a bad signature, a tampered body, a foreign secret and an old timestamp with 401, changing nothing", async () => {
    const forged = await webhook("email.bounced", "re_msg_1", { secret: "whsec_" + Buffer.from("another secret").toString("base64") });
    const tampered = await webhook("email.delivered", "re_msg_1", {
      body: JSON.stringify({ type: "email.bounced", data: { email_id: "re_msg_1" } }),
    });
    const stale = await webhook("email.bounced", "re_msg_1", { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const unsigned = await POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: "{}" }));
    for (const res of [forged, tampered, stale, unsigned]) expect(res.status).toBe(401);
    expect(await status()).toBe("SENT");
  });

  it("ignores events about messages it does not know or that a resend replaced", async () => {
    expect(await (await webhook("email.bounced", "re_unknown")).json()).toEqual({ ok: true, result: "ignored" });
    await getPrisma().emailOutbox.updateMany({ data: { status: "CANCELLED" } });
    await webhook("email.bounced");
    expect(await status()).toBe("SENT");
  });

  it("is switched off (404) while RESEND_WEBHOOK_SECRET is unset", async () => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", "");
    reloadEnv();
    expect((await webhook("email.delivered")).status).toBe(404);
  });
});

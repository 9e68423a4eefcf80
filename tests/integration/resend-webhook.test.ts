import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/webhooks/resend/route";
import * as collection from "@/app/v1/organization/invitations/route";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { call } from "../helpers/api";
import { createOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const SECRET = "whsec_" + Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
const LIMIT = 256 * 1024;
const URL = "http://localhost/api/webhooks/resend";
let invitationId: number;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  await getPrisma().webhookEvent.deleteMany();
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
  vi.useRealTimers();
  vi.unstubAllEnvs();
  reloadEnv();
});

interface Delivery {
  id: string;
  timestamp: number;
  body: string;
  signature: string;
}

/** A delivery signed as Resend (Svix / Standard Webhooks) signs it; each has its own svix-id. */
function delivery(type: string, emailId = "re_msg_1", options: { secret?: string; timestamp?: number } = {}): Delivery {
  const body = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: emailId, to: ["ada@example.com"] } });
  const id = `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(options.secret ?? SECRET).sign(id, new Date(timestamp * 1000), body);
  return { id, timestamp, body, signature };
}

function post(d: Delivery, override: { body?: string } = {}) {
  return POST(
    new Request(URL, {
      method: "POST",
      headers: { "svix-id": d.id, "svix-timestamp": String(d.timestamp), "svix-signature": d.signature },
      body: override.body ?? d.body,
    }),
  );
}

const webhook = (type: string, emailId?: string) => post(delivery(type, emailId));
const status = async () => (await getPrisma().invitation.findUniqueOrThrow({ where: { id: invitationId } })).emailStatus;

/** A 100 MB body that counts how many bytes the handler pulled from it. */
function countingStream(chunkBytes = 64 * 1024, totalBytes = 100 * 1024 * 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= totalBytes) return controller.close();
        counter.pulled += chunkBytes;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
      },
    },
    // Nothing is pulled before the handler asks for it.
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

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

  it("rejects a bad signature, a tampered body, a foreign secret, an old timestamp and missing headers with 401, changing nothing", async () => {
    const forged = await post(delivery("email.bounced", "re_msg_1", { secret: "whsec_" + Buffer.from("another secret").toString("base64") }));
    const tampered = await post(delivery("email.delivered"), {
      body: JSON.stringify({ type: "email.bounced", data: { email_id: "re_msg_1" } }),
    });
    const stale = await post(delivery("email.bounced", "re_msg_1", { timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    const future = await post(delivery("email.bounced", "re_msg_1", { timestamp: Math.floor(Date.now() / 1000) + 3600 }));
    const unsigned = await POST(new Request(URL, { method: "POST", body: "{}" }));
    const garbled = await post({ ...delivery("email.bounced"), signature: "v1,not-base64!!" });
    for (const res of [forged, tampered, stale, future, unsigned, garbled]) expect(res.status).toBe(401);
    expect(await status()).toBe("SENT");
    expect(await getPrisma().webhookEvent.count()).toBe(0);
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

describe("replayed deliveries", () => {
  it("processes a delivery once: the same signed request again answers 200 and changes nothing", async () => {
    const bounce = delivery("email.bounced");
    expect(await (await post(bounce)).json()).toEqual({ ok: true, result: "applied" });
    expect(await status()).toBe("BOUNCED");
    // The invitation is resent and its new message goes out ...
    await getPrisma().invitation.update({ where: { id: invitationId }, data: { emailStatus: "SENT" } });
    // ... and someone who captured the old bounce posts it again, inside the 5-minute window.
    const replay = await post(bounce);
    expect(replay.status).toBe(200);
    expect(await status()).toBe("SENT");
    expect(await replay.json()).toEqual({ ok: true, result: "duplicate" });
    expect(await getPrisma().webhookEvent.count()).toBe(1);
  });

  it("a replayed delivered after a bounce is not processed again", async () => {
    const delivered = delivery("email.delivered");
    await post(delivered);
    await webhook("email.bounced");
    expect(await (await post(delivered)).json()).toEqual({ ok: true, result: "duplicate" });
    expect(await status()).toBe("BOUNCED");
    expect(await getPrisma().webhookEvent.count()).toBe(2);
  });

  it("processes one of two identical deliveries arriving at once", async () => {
    const bounce = delivery("email.bounced");
    const results = await Promise.all([post(bounce), post(bounce)].map(async (r) => (await (await r).json()).result));
    expect(results.sort()).toEqual(["applied", "duplicate"]);
  });

  it("forgets ids older than the tolerance window, from time to time", async () => {
    const old = new Date(Date.now() - 60 * 60_000);
    await getPrisma().webhookEvent.create({ data: { id: "msg_old", receivedAt: old } });
    // Cleaning runs at most every few minutes per process: step past that.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 30 * 60_000 });
    expect((await webhook("email.delivered")).status).toBe(200);
    const ids = (await getPrisma().webhookEvent.findMany()).map((e) => e.id);
    expect(ids).not.toContain("msg_old");
    expect(ids).toHaveLength(1);
  });
});

describe("event types", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "email.opened"])(
    "%s is ignored with 200, not a 500",
    async (type) => {
      const res = await webhook(type);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, result: "ignored" });
      expect(await status()).toBe("SENT");
    },
  );

  it("answers 400 to signed bodies that are not email events", async () => {
    for (const body of ["null", "[]", "42", '"x"', '{"type":"email.delivered"}', "{not json"]) {
      const d = delivery("email.delivered");
      const signature = new Webhook(SECRET).sign(d.id, new Date(d.timestamp * 1000), body);
      const res = await post({ ...d, body, signature });
      expect(res.status, body).toBe(400);
    }
  });
});

describe("oversized bodies", () => {
  it("refuses a declared Content-Length over the limit with 413 without reading the body", async () => {
    const { stream, counter } = countingStream();
    const res = await POST(
      new Request(URL, {
        method: "POST",
        headers: { "content-length": String(100 * 1024 * 1024) },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(counter.pulled).toBe(0);
  });

  it("stops reading a streamed body without Content-Length once it passes the limit", async () => {
    const { stream, counter } = countingStream();
    const res = await POST(new Request(URL, { method: "POST", body: stream, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    // At most the limit plus the chunk that crossed it, not the 100 MB.
    expect(counter.pulled).toBeGreaterThan(LIMIT);
    expect(counter.pulled).toBeLessThanOrEqual(LIMIT + 64 * 1024);
  });

  it("accepts a signed body just under the limit", async () => {
    const d = delivery("email.delivered");
    const body = d.body.replace(/}$/, `,"pad":"${"x".repeat(LIMIT - d.body.length - 20)}"}`);
    const signature = new Webhook(SECRET).sign(d.id, new Date(d.timestamp * 1000), body);
    expect((await post({ ...d, body, signature })).status).toBe(200);
    expect(await status()).toBe("DELIVERED");
  });
});

// Invitation mail from the outbox to a (fake, loopback) Resend through the real SDK: content,
// links, retries with fault injection, permanent failures, crashed workers, and two workers
// racing.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import { getPrisma } from "@/lib/db";
import { runOutboxOnce, type WorkerOptions } from "@/lib/email/outbox-worker";
import { mailboxTransport, resendTransport } from "@/lib/email/transport";
import { hashInviteToken } from "@/lib/services/invitations";
import { call } from "../helpers/api";
import { startFakeResend, type FakeResend } from "../helpers/fake-resend";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let fake: FakeResend;
let org: TestOrg;
let clock: number;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  fake.delivered.length = 0;
  fake.requests.length = 0;
  org = await createOrg({ name: "Acme Research" });
  clock = Date.now();
});

function worker(overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    // Generous: a loaded CI machine can be slow on the first call; the hang faults outlast it.
    transport: resendTransport({ apiKey: "re_test_key", baseUrl: fake.baseUrl, timeoutMs: 2_000 }),
    from: "Confident <invites@acme.test>",
    maxAttempts: 8,
    baseDelayMs: 1_000,
    leaseMs: 30_000,
    now: () => new Date(clock),
    random: () => 0.5,
    ...overrides,
  };
}

async function inviteEmails(emails: string[]) {
  const res = await call(collection, "POST", { key: org.key, body: { emails } });
  expect(res.status).toBe(200);
  // The worker's clock starts just after the messages were queued.
  clock = Date.now() + 5;
  return res.body.data.invitations as { id: number; email: string }[];
}

/** Runs the worker, moving the clock past each backoff, until nothing is left to send. */
async function drain(options: WorkerOptions, maxRuns = 200) {
  for (let run = 0; run < maxRuns; run++) {
    await runOutboxOnce(options);
    const pending = await getPrisma().emailOutbox.findMany({ where: { status: "PENDING" } });
    if (pending.length === 0) return run + 1;
    if (pending.some((p) => p.lockedUntil && p.lockedUntil.getTime() > clock)) {
      // Another worker holds some of them: give it time to finish.
      await new Promise((r) => setTimeout(r, 10));
    } else {
      clock = Math.max(...pending.map((p) => p.nextAttemptAt.getTime()), clock) + 1;
    }
  }
  throw new Error("outbox did not drain");
}

function keysDeliveredOnce() {
  const perKey = new Map<string, number>();
  for (const d of fake.delivered) perKey.set(d.to[0]!, (perKey.get(d.to[0]!) ?? 0) + 1);
  return perKey;
}

describe("invitation emails through Resend", () => {
  it("delivers one message per invitee with the right subject, HTML, text and a working link", async () => {
    const invitations = await inviteEmails(["ada@example.com", "grace@example.com", "alan@example.com"]);
    const summary = await runOutboxOnce(worker());
    expect(summary).toEqual({ claimed: 3, sent: 3, retrying: 0, failed: 0 });

    // Three messages in one batch call, keyed for idempotency.
    expect(fake.requests).toEqual([{ path: "/emails/batch", idempotencyKey: expect.stringMatching(/^batch-/), status: 200, size: 3 }]);
    expect(fake.delivered.map((d) => d.to[0]).sort()).toEqual(["ada@example.com", "alan@example.com", "grace@example.com"]);
    const rows = await getPrisma().invitation.findMany();
    for (const message of fake.delivered) {
      expect(message.from).toBe("Confident <invites@acme.test>");
      expect(message.subject).toContain("Acme Research");
      expect(message.html).toContain("Acme Research");
      expect(message.text).toContain("Acme Research");
      const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(message.text)![1]!;
      expect(message.html).toContain(`http://localhost:3000/invite/${token}`);
      const row = rows.find((r) => r.email === message.to[0])!;
      expect(hashInviteToken(token)).toBe(row.tokenHash);
    }
    // Sent: provider ids kept, the sealed link erased, and the API shows SENT.
    const outbox = await getPrisma().emailOutbox.findMany();
    expect(outbox.every((o) => o.status === "SENT" && o.secret === null && o.providerId?.startsWith("fake_"))).toBe(true);
    const listed = await call(collection, "GET", { key: org.key });
    expect(listed.body.data.invitations.map((i: any) => i.email_status)).toEqual(["SENT", "SENT", "SENT"]);
    expect(invitations).toHaveLength(3);
  });

  it("sends a single due message on its own with its own idempotency key", async () => {
    await inviteEmails(["solo@example.com"]);
    await runOutboxOnce(worker());
    const [row] = await getPrisma().emailOutbox.findMany();
    expect(fake.requests).toEqual([{ path: "/emails", idempotencyKey: row!.idempotencyKey, status: 200, size: 1 }]);
  });

  it("retries 500, 429, timeouts and lost responses until each message is delivered exactly once", async () => {
    await inviteEmails(["a@example.com", "b@example.com", "c@example.com"]);
    fake.failNext({ status: 500 }, { status: 429 }, { hangMs: 3_500 }, { acceptThenHangMs: 3_500 });
    const runs = await drain(worker());
    expect(runs).toBe(5);
    // The timed-out requests are answered late (504, then the accepted 200) after the client gave up.
    await vi.waitFor(() => expect(fake.requests.map((r) => r.status)).toEqual([500, 429, 504, 200, 200]), { timeout: 10_000 });
    // The same batch and the same key every time, so the provider could deduplicate the lost response.
    expect(new Set(fake.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect([...keysDeliveredOnce().values()]).toEqual([1, 1, 1]);
    const outbox = await getPrisma().emailOutbox.findMany();
    expect(outbox.every((o) => o.status === "SENT" && o.attempts === 5)).toBe(true);
  });

  it("backs off exponentially between attempts", async () => {
    await inviteEmails(["a@example.com"]);
    fake.failNext({ status: 503 }, { status: 503 });
    const start = clock;
    await runOutboxOnce(worker());
    const first = (await getPrisma().emailOutbox.findFirstOrThrow()).nextAttemptAt.getTime() - start;
    clock = start + first + 1;
    await runOutboxOnce(worker());
    const second = (await getPrisma().emailOutbox.findFirstOrThrow()).nextAttemptAt.getTime() - clock;
    expect(first).toBe(750); // 1000 · 2^0 · 0.75
    expect(second).toBe(1_500); // 1000 · 2^1 · 0.75
    // Not due yet: nothing is sent early.
    await runOutboxOnce(worker());
    expect(fake.requests).toHaveLength(2);
  });

  it("does not retry a 422: the message and the invitation are marked FAILED", async () => {
    await inviteEmails(["a@example.com"]);
    fake.failNext({ status: 422, body: { name: "validation_error", message: "Invalid `to` field", statusCode: 422 } });
    expect(await runOutboxOnce(worker())).toMatchObject({ failed: 1 });
    clock += 3_600_000;
    await runOutboxOnce(worker());
    expect(fake.requests).toHaveLength(1);
    const row = await getPrisma().emailOutbox.findFirstOrThrow();
    expect(row).toMatchObject({ status: "FAILED", secret: null, lastError: expect.stringContaining("422") });
    expect((await getPrisma().invitation.findFirstOrThrow()).emailStatus).toBe("FAILED");
  });

  it("gives up after EMAIL_MAX_ATTEMPTS retryable failures", async () => {
    await inviteEmails(["a@example.com"]);
    fake.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    await drain(worker({ maxAttempts: 3 }));
    expect(fake.requests).toHaveLength(3);
    expect((await getPrisma().emailOutbox.findFirstOrThrow()).status).toBe("FAILED");
  });

  it("re-sends with the same idempotency key after a worker died holding the claim", async () => {
    await inviteEmails(["a@example.com"]);
    // A worker claims the row and dies before sending: simulated with a transport that never returns.
    const dying = runOutboxOnce(worker({ transport: { name: "resend", send: () => new Promise(() => undefined) } }));
    void dying;
    await vi.waitFor(async () => expect((await getPrisma().emailOutbox.findFirstOrThrow()).lockedUntil).not.toBeNull());
    // Within the lease nobody else takes it.
    expect(await runOutboxOnce(worker())).toMatchObject({ claimed: 0 });
    clock += 30_001;
    expect(await runOutboxOnce(worker())).toMatchObject({ claimed: 1, sent: 1 });
    const row = await getPrisma().emailOutbox.findFirstOrThrow();
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([row.idempotencyKey]);
    expect(row.attempts).toBe(2);
  });

  it("never sends a message twice with two workers running at once", async () => {
    await inviteEmails(Array.from({ length: 30 }, (_, i) => `u${i}@example.com`));
    await Promise.all([drain(worker({ batchSize: 7 })), drain(worker({ batchSize: 7 }))]);
    expect(fake.delivered).toHaveLength(30);
    expect(new Set(fake.delivered.map((d) => d.to[0])).size).toBe(30);
    expect(await getPrisma().emailOutbox.count({ where: { status: "SENT" } })).toBe(30);
  });
});

describe("without a mail provider", () => {
  it("delivers to the development mailbox and logs the invite link", async () => {
    const logged = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await inviteEmails(["ada@example.com"]);
    await runOutboxOnce(worker({ transport: mailboxTransport() }));
    const [message] = await getPrisma().devMailboxMessage.findMany();
    expect(message).toMatchObject({ to: "ada@example.com", kind: "invitation", subject: expect.stringContaining("Acme Research") });
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(message!.text)![1]!;
    expect(logged.mock.calls.flat().join("\n")).toContain(`/invite/${token}`);
    expect((await getPrisma().invitation.findFirstOrThrow()).emailStatus).toBe("SENT");
    logged.mockRestore();
  });
});

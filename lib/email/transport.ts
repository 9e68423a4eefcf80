// Where rendered messages go: Resend (through its official SDK) or, when no provider is
// configured, the development mailbox in the database. Both report typed outcomes instead of
// throwing: retryable (network, timeout, 429, 5xx) or permanent (any other 4xx).
import { Resend } from "resend";
import { getPrisma } from "@/lib/db";
import { log } from "@/lib/log";

export interface OutgoingEmail {
  idempotencyKey: string;
  kind: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type SendOutcome =
  | { ok: true; providerIds: string[] }
  | { ok: false; retryable: boolean; status: number | null; error: string };

export interface Transport {
  name: "resend" | "mailbox";
  /** Sends one message, or several as one batch; `key` is the request's idempotency key. */
  send(messages: OutgoingEmail[], key: string): Promise<SendOutcome>;
}

export const MAX_BATCH = 100;

export function classify(status: number | null, message: string): SendOutcome {
  const retryable = status === null || status === 408 || status === 409 || status === 429 || status >= 500;
  return { ok: false, retryable, status, error: status ? `${status}: ${message}` : message };
}

export function resendTransport(options: { apiKey: string; baseUrl?: string; timeoutMs: number }): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    name: "resend",
    async send(messages, key) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const payload = messages.map((m) => ({ from: m.from, to: [m.to], subject: m.subject, html: m.html, text: m.text }));
      const request =
        payload.length === 1
          ? resend.emails.send(payload[0]!, { idempotencyKey: key, signal }).then((r) => ({
              error: r.error,
              ids: r.data ? [r.data.id] : [],
            }))
          : resend.batch.send(payload, { idempotencyKey: key, signal }).then((r) => ({
              error: r.error,
              ids: r.data ? r.data.data.map((d) => d.id) : [],
            }));
      // The SDK turns an aborted fetch into an error result; this race only guards against a
      // transport that ignores the signal.
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("timed out")), options.timeoutMs + 1_000).unref(),
      );
      try {
        const { error, ids } = await Promise.race([request, timeout]);
        if (error) return classify((error as { statusCode?: number | null }).statusCode ?? null, error.message);
        if (ids.length !== messages.length) return classify(null, `provider answered ${ids.length} ids for ${messages.length} messages`);
        return { ok: true, providerIds: ids };
      } catch (error) {
        return classify(null, (error as Error).message);
      }
    },
  };
}

/** Development delivery: messages land in DevMailboxMessage (see /dev/mailbox) and the log. */
export function mailboxTransport(): Transport {
  return {
    name: "mailbox",
    async send(messages) {
      await getPrisma().devMailboxMessage.createMany({
        data: messages.map((m) => ({
          idempotencyKey: m.idempotencyKey,
          kind: m.kind,
          from: m.from,
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
        })),
        skipDuplicates: true,
      });
      for (const m of messages) {
        const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(m.text)?.[0];
        log.info(`Dev mailbox: "${m.subject}" to ${m.to}${link ? ` — invite link: ${link}` : ""}`);
      }
      return { ok: true, providerIds: messages.map((m) => `mailbox:${m.idempotencyKey}`) };
    },
  };
}

// Runs the outbox worker in a loop: inside the app (started at boot) or as `npm run worker`.
// Chooses the transport from configuration: Resend when RESEND_API_KEY is set; otherwise the
// development mailbox — except in production, where mail simply waits until a key is set.
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { runOutboxOnce } from "./outbox-worker";
import { mailboxTransport, resendTransport, type Transport } from "./transport";

export function configuredTransport(): Transport | null {
  const config = env();
  if (config.RESEND_API_KEY) {
    return resendTransport({
      apiKey: config.RESEND_API_KEY,
      baseUrl: config.RESEND_BASE_URL,
      timeoutMs: config.EMAIL_SEND_TIMEOUT_MS,
    });
  }
  return config.NODE_ENV === "production" ? null : mailboxTransport();
}

/**
 * Where mail goes: through Resend; to the development mailbox (development without a key); or
 * nowhere yet (production without a key: queued until one is set). Pages use it so that nobody
 * is told "we sent you a link" when nothing can arrive.
 */
export function mailDelivery(): "resend" | "mailbox" | "none" {
  const config = env();
  if (config.RESEND_API_KEY) return "resend";
  return config.NODE_ENV === "production" ? "none" : "mailbox";
}

export const MAIL_UNAVAILABLE =
  "Email sign-in is unavailable: this installation has no mail provider configured yet (RESEND_API_KEY). " +
  "Sign in with your password, or ask your administrator to set up email.";

export function emailStatusLine(): string {
  const config = env();
  if (config.RESEND_API_KEY) return `Email: sending through Resend as ${config.EMAIL_FROM}.`;
  if (config.NODE_ENV !== "production") {
    return `Email: no RESEND_API_KEY, so messages go to the development mailbox (${config.APP_URL}/dev/mailbox) and invite links are logged.`;
  }
  return "Email is NOT configured (RESEND_API_KEY is unset): invitation emails are queued and will be sent once it is set.";
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

/** Polls the outbox every `intervalMs` (sooner while there is work) until stopped. */
export function startOutboxWorker({ intervalMs = 2_000 }: { intervalMs?: number } = {}): WorkerHandle | null {
  const transport = configuredTransport();
  if (!transport) return null;
  const config = env();
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    if (stopped) return;
    let busy = false;
    try {
      const summary = await runOutboxOnce({ transport, from: config.EMAIL_FROM, maxAttempts: config.EMAIL_MAX_ATTEMPTS });
      busy = summary.claimed > 0;
    } catch (error) {
      log.warn("Outbox worker run failed; will retry", { error: (error as Error).message });
    }
    if (!stopped) timer = setTimeout(() => (current = tick()), busy ? 50 : intervalMs);
    timer?.unref();
  };
  current = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

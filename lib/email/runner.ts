// Runs the outbox worker in a loop: inside the app (started at boot) or as `npm run worker`.
// Chooses the transport from configuration: Resend when RESEND_API_KEY is set; otherwise the
// development mailbox — except in production, where mail simply waits until a key is set.
// It loads the templates and the Resend SDK: pages and boot that only need to know where mail
// goes import ./delivery instead.
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

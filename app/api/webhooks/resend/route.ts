// Resend's delivery webhooks (email.delivered, email.bounced, email.complained), verified by
// their Svix signature before anything is read from them. The endpoint is public, so the body
// is size-checked before it is read and while it streams: never buffered past the limit.
import { verifyResendWebhook } from "@/lib/email/webhook-signature";
import { env } from "@/lib/env";
import { applyEmailEvent } from "@/lib/services/email-events";

export const dynamic = "force-dynamic";

const MAX_BYTES = 256 * 1024;

const answer = (status: number, error: string) => Response.json({ error }, { status });

/** The body as text, or null as soon as it passes `max` bytes (the rest is never pulled). */
async function readAtMost(request: Request, max: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function emailEvent(body: string): { type: string; emailId: string } | null {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return null;
  }
  if (!event || typeof event !== "object") return null;
  const { type, data } = event as { type?: unknown; data?: unknown };
  const emailId = data && typeof data === "object" ? (data as { email_id?: unknown }).email_id : undefined;
  return typeof type === "string" && typeof emailId === "string" ? { type, emailId } : null;
}

export async function POST(request: Request) {
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return answer(404, "Webhooks are not configured (RESEND_WEBHOOK_SECRET)");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BYTES) return answer(413, "Payload too large");
  const body = await readAtMost(request, MAX_BYTES);
  if (body === null) return answer(413, "Payload too large");

  const deliveryId = verifyResendWebhook(secret, request.headers, body);
  if (!deliveryId) return answer(401, "Invalid webhook signature");
  const event = emailEvent(body);
  if (!event) return answer(400, "Not an email event");

  const result = await applyEmailEvent({ deliveryId, type: event.type, providerId: event.emailId });
  return Response.json({ ok: true, result });
}

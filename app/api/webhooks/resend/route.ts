// Resend's delivery webhooks (email.delivered, email.bounced, email.complained), verified by
// their Svix signature before anything is read from them.
import { verifySvix } from "@/lib/email/webhook-signature";
import { env } from "@/lib/env";
import { applyEmailEvent } from "@/lib/services/email-events";

export const dynamic = "force-dynamic";

const MAX_BYTES = 256 * 1024;

export async function POST(request: Request) {
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return Response.json({ error: "Webhooks are not configured (RESEND_WEBHOOK_SECRET)" }, { status: 404 });
  const body = await request.text();
  if (body.length > MAX_BYTES) return Response.json({ error: "Payload too large" }, { status: 413 });
  const signed = verifySvix(
    secret,
    {
      id: request.headers.get("svix-id"),
      timestamp: request.headers.get("svix-timestamp"),
      signature: request.headers.get("svix-signature"),
    },
    body,
  );
  if (!signed) return Response.json({ error: "Invalid webhook signature" }, { status: 401 });

  let event: { type?: unknown; data?: { email_id?: unknown } };
  try {
    event = JSON.parse(body);
  } catch {
    return Response.json({ error: "Malformed JSON" }, { status: 400 });
  }
  if (typeof event.type !== "string" || typeof event.data?.email_id !== "string") {
    return Response.json({ error: "Not an email event" }, { status: 400 });
  }
  const result = await applyEmailEvent(event.type, event.data.email_id);
  return Response.json({ ok: true, result });
}

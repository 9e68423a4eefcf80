// One queued email as an EmailOutbox row: a fresh id, the stable per-message idempotency key the
// provider deduplicates retries by, and the secret part (links) sealed under AUTH_SECRET.
import "server-only";
import { randomUUID } from "node:crypto";
import { seal } from "@/lib/crypto/secret-box";
import type { EmailPayloads, EmailSecrets, OutboxKind } from "@/lib/email/payloads";
import type { Prisma } from "@/lib/generated/prisma/client";

export const OUTBOX_SECRET_PURPOSE = "email-outbox";

export function outboxRow<K extends OutboxKind>(input: {
  kind: K;
  recipient: string;
  /** Non-secret template data, stored as is. */
  payload: EmailPayloads[K];
  /** Template data that must not sit readable in the database (links); null when none. */
  secret: EmailSecrets[K];
  organizationId?: string;
  invitationId?: number | null;
}): Prisma.EmailOutboxCreateManyInput {
  const id = randomUUID();
  return {
    id,
    organizationId: input.organizationId ?? null,
    invitationId: input.invitationId ?? null,
    kind: input.kind,
    recipient: input.recipient,
    payload: input.payload as Prisma.InputJsonValue,
    secret: input.secret ? seal(JSON.stringify(input.secret), OUTBOX_SECRET_PURPOSE) : null,
    idempotencyKey: `email-${id}`,
  };
}

// Organization API keys and the audit log.
import { expect } from "vitest";
import { API_KEY_PREFIX, redactApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { createApiKey, deleteApiKey, getApiKey, listApiKeys, updateApiKey } from "@/lib/services/api-keys";
import { listAuditEvents, listAuditFilterOptions } from "@/lib/services/audit-log";
import { actingUserId } from "@/lib/services/context";
import { ORG_ID, USER } from "../fixture";
import { scenario } from "../matrix";

const LIMITS = { perKey: 1e6, perOrganization: 1e6 };

export const API_KEYS_AND_AUDIT = [
  scenario({
    name: "createApiKey [apiKey:manage]",
    run: (ctx) => createApiKey(ctx, { name: "deploy" }),
    audit: "org.apiKeys.create",
    async effect(result, _f, actor) {
      expect(result.value.startsWith(API_KEY_PREFIX)).toBe(true);
      // The new key acts as the user behind the actor (a key's creator; nobody for an operator key).
      const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: result.id } });
      expect(row).toMatchObject({ organizationId: ORG_ID, name: "deploy", createdByUserId: actingUserId(actor) });
      expect((await authenticateApiKey(result.value, LIMITS))?.actor.creatorUserId).toBe(actingUserId(actor));
      await settleBackgroundWrites(); // its lastUsedAt write, before the next cell resets the database
    },
  }),
  scenario({
    name: "updateApiKey [apiKey:manage]",
    run: (ctx, f) => updateApiKey(ctx, f.ciKey.id, { valid: false }),
    audit: "org.apiKeys.update",
    async effect(result, f) {
      expect(result).toMatchObject({ id: f.ciKey.id, valid: false });
      expect(await authenticateApiKey(f.ciKey.raw, LIMITS)).toBeNull();
    },
  }),
  scenario({
    name: "deleteApiKey [apiKey:manage]",
    run: (ctx, f) => deleteApiKey(ctx, f.ciKey.id),
    audit: "org.apiKeys.delete",
    async effect(result, f) {
      expect(result).toEqual({ id: f.ciKey.id, deleted: true });
      expect(await getPrisma().apiKey.count({ where: { id: f.ciKey.id } })).toBe(0);
    },
  }),
  scenario({
    name: "listApiKeys [apiKey:read]",
    run: (ctx) => listApiKeys(ctx),
    async effect(result, f) {
      expect(result.map((k) => k.id).sort()).toEqual([...Object.values(f.keys), f.ciKey].map((k) => k.id).sort());
      for (const key of result) expect(key.value).toMatch(/^\*{15}[0-9a-f]{6}$/);
    },
  }),
  scenario({
    name: "getApiKey [apiKey:read]",
    run: (ctx, f) => getApiKey(ctx, f.ciKey.id),
    effect: (result, f) =>
      expect(result).toMatchObject({ id: f.ciKey.id, value: redactApiKey(f.ciKey.raw.slice(-6)), createdBy: { id: USER.owner } }),
  }),
  scenario({
    name: "listAuditEvents [iam:read]",
    run: (ctx) => listAuditEvents(ctx),
    effect: (result) =>
      expect(result).toMatchObject({ total: 1, events: [{ action: "org.update", actor: { type: "user", id: USER.owner } }] }),
  }),
  scenario({
    name: "listAuditFilterOptions [iam:read]",
    run: (ctx) => listAuditFilterOptions(ctx),
    effect: (result) =>
      expect(result).toEqual({ actions: ["org.update"], actors: [{ value: `user:${USER.owner}`, label: "owner@acme.test" }] }),
  }),
];

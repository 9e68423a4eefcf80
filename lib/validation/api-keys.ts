import { z } from "zod";
import { IntegerId, Timestamp } from "./common";

export const ApiKeyDto = z
  .object({
    id: z.number().int(),
    name: z.string().nullable(),
    valid: z.boolean(),
    // The full key only in the create response; otherwise 15 `*` and the last 6 characters.
    value: z.string(),
    created_at: Timestamp,
    lastUsed: Timestamp.nullable(),
    // [ours] The user the key acts as: it holds their permissions at the time of each request and
    // stops working when they leave the organization. null for an operator key (acts as the Owner).
    createdBy: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKeyDto = z.infer<typeof ApiKeyDto>;

export const CreateApiKeyBody = z.object({
  name: z
    .string({ error: "name is required and must be a string" })
    .trim()
    .min(1, "name must not be empty")
    .max(100, "name must be at most 100 characters"),
});
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

// Strictly a JSON boolean: "false" or 0 would be too easy to get wrong for a switch that locks a key out.
export const UpdateApiKeyBody = z.object({
  valid: z.boolean({ error: "valid is required and must be true or false" }),
});
export type UpdateApiKeyBody = z.infer<typeof UpdateApiKeyBody>;

export const ApiKeyIdParams = z.object({ apiKeyId: IntegerId });

export const ListApiKeysResponse = z.object({ apiKeys: z.array(ApiKeyDto) });

export const ApiKeyResponse = z.object({ apiKey: ApiKeyDto });

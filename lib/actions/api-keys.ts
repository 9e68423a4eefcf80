"use server";
// Settings actions for organization API keys. Each goes through runOrgAction and the same
// service the REST API uses; only the form-field parsing is specific to the browser.
import { z } from "zod";
import { createApiKey, deleteApiKey, updateApiKey } from "@/lib/services/api-keys";
import { ApiKeyIdParams, CreateApiKeyBody, type ApiKeyDto } from "@/lib/validation/api-keys";
import { formToObject, runOrgAction, type ActionResult } from "./run";

const PAGE = "/settings/api-keys";
// Key changes are audited, so the audit log shows them on its next render too.
const revalidate = [PAGE, "/settings/audit-log"];

/** The full key is in `data.value` of this result only; it is never retrievable again. */
export async function createApiKeyAction(_prev: ActionResult<ApiKeyDto> | null, form: FormData): Promise<ActionResult<ApiKeyDto>> {
  return runOrgAction(formToObject(form), { schema: CreateApiKeyBody, revalidate }, (ctx, data) =>
    createApiKey(ctx, data),
  );
}

// A form can only send strings; the contract's body wants a real boolean, so the two allowed
// strings are mapped explicitly rather than coerced (any other value is refused).
const SetValidForm = ApiKeyIdParams.extend({
  valid: z.enum(["true", "false"], { error: "valid must be true or false" }).transform((v) => v === "true"),
});

export async function setApiKeyValidAction(_prev: ActionResult<ApiKeyDto> | null, form: FormData): Promise<ActionResult<ApiKeyDto>> {
  return runOrgAction(formToObject(form), { schema: SetValidForm, revalidate }, (ctx, data) =>
    updateApiKey(ctx, data.apiKeyId, { valid: data.valid }),
  );
}

export async function deleteApiKeyAction(
  _prev: ActionResult<{ id: number; deleted: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: number; deleted: true }>> {
  return runOrgAction(formToObject(form), { schema: ApiKeyIdParams, revalidate }, (ctx, data) =>
    deleteApiKey(ctx, data.apiKeyId),
  );
}

"use server";
// Settings actions for API keys, of the organization or (with a hidden `projectId`) of one of
// its projects. Each goes through runOrgAction and the same service the REST API uses, with the
// scope as a parameter; only the form-field parsing is specific to the browser.
import { z } from "zod";
import { createApiKey, deleteApiKey, ORGANIZATION_KEYS, projectKeys, updateApiKey } from "@/lib/services/api-keys";
import { ApiKeyIdParams, CreateApiKeyBody, type ApiKeyDto } from "@/lib/validation/api-keys";
import { formToObject, runOrgAction, type ActionResult } from "./run";
import { ScopeField, scopedPages } from "./scope";

const scopeOf = (projectId: string | undefined) => (projectId ? projectKeys(projectId) : ORGANIZATION_KEYS);
// Key changes are audited, so the audit log shows them on its next render too.
const revalidate = ({ projectId }: { projectId?: string }) =>
  scopedPages(projectId, ["/settings/api-keys", "/settings/audit-log"], ["api-keys"]);

const CreateApiKeyForm = CreateApiKeyBody.extend(ScopeField.shape);

/** The full key is in `data.value` of this result only; it is never retrievable again. */
export async function createApiKeyAction(_prev: ActionResult<ApiKeyDto> | null, form: FormData): Promise<ActionResult<ApiKeyDto>> {
  return runOrgAction(formToObject(form), { schema: CreateApiKeyForm, revalidate }, (ctx, { projectId, ...data }) =>
    createApiKey(ctx, data, scopeOf(projectId)),
  );
}

// A form can only send strings; the contract's body wants a real boolean, so the two allowed
// strings are mapped explicitly rather than coerced (any other value is refused).
const SetValidForm = ApiKeyIdParams.extend({
  valid: z.enum(["true", "false"], { error: "valid must be true or false" }).transform((v) => v === "true"),
  ...ScopeField.shape,
});

export async function setApiKeyValidAction(_prev: ActionResult<ApiKeyDto> | null, form: FormData): Promise<ActionResult<ApiKeyDto>> {
  return runOrgAction(formToObject(form), { schema: SetValidForm, revalidate }, (ctx, data) =>
    updateApiKey(ctx, data.apiKeyId, { valid: data.valid }, scopeOf(data.projectId)),
  );
}

const ApiKeyIdForm = ApiKeyIdParams.extend(ScopeField.shape);

export async function deleteApiKeyAction(
  _prev: ActionResult<{ id: number; deleted: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: number; deleted: true }>> {
  return runOrgAction(formToObject(form), { schema: ApiKeyIdForm, revalidate }, (ctx, data) =>
    deleteApiKey(ctx, data.apiKeyId, scopeOf(data.projectId)),
  );
}

"use server";
// Organization-level actions of the settings shell: rename (through the shared runOrgAction
// path), switch the active organization, and create a new one. Creating and switching are not
// scoped to an active organization, so they resolve the user themselves.
import { randomUUID } from "node:crypto";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser, getWorkspace, setActiveOrgPreference } from "@/lib/auth/session";
import { updateOrganization } from "@/lib/services/organization";
import { createOrganization } from "@/lib/services/organization-create";
import { UpdateOrganizationBody, type OrganizationDto } from "@/lib/validation/organization";
import { invalidForm } from "./field-errors";
import { actionFailure, formToObject, runOrgAction, type ActionResult } from "./run";

const SESSION_ENDED = "Your session has ended. Sign in again.";

export async function renameOrganization(
  _prev: ActionResult<OrganizationDto> | null,
  form: FormData,
): Promise<ActionResult<OrganizationDto>> {
  return runOrgAction(
    formToObject(form),
    { schema: UpdateOrganizationBody, revalidate: ["/settings"] },
    (ctx, data) => updateOrganization(ctx, data),
  );
}

/** Makes another of the user's organizations the active one, then opens its settings. */
export async function switchOrganization(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const workspace = await getWorkspace();
  if (!workspace) return { ok: false, error: SESSION_ENDED };
  const organizationId = form.get("organizationId");
  // The cookie is re-checked on every request anyway; refusing here gives the user an answer.
  if (typeof organizationId !== "string" || !workspace.organizations.some((o) => o.id === organizationId)) {
    return { ok: false, error: "You are not a member of that organization." };
  }
  await setActiveOrgPreference(organizationId);
  // Where to go in it (e.g. one of its projects); only a path inside the settings.
  const next = safeCallbackPath(typeof form.get("next") === "string" ? (form.get("next") as string) : "/settings");
  redirect(next.startsWith("/settings") ? next : "/settings");
}

export async function createOrganizationAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const requestId = randomUUID();
  const user = await getSessionUser();
  if (!user) return { ok: false, error: SESSION_ENDED };
  const parsed = UpdateOrganizationBody.safeParse(formToObject(form));
  if (!parsed.success) return invalidForm(parsed.error);
  let organizationId: string;
  try {
    organizationId = (await createOrganization({ userId: user.id, name: parsed.data.name, requestId })).id;
  } catch (error) {
    return actionFailure(error, "Creating an organization", requestId);
  }
  // Outside the try: redirect() works by throwing, and that must reach Next.js.
  await setActiveOrgPreference(organizationId);
  redirect("/settings");
}

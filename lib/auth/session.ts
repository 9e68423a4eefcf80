// The signed-in user and their active organization, for pages and server actions. The active
// organization is a cookie preference, always re-checked against the user's memberships.
import { cookies } from "next/headers";
import { getAccount } from "@/lib/services/accounts";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { auth } from "./config";

export const ACTIVE_ORG_COOKIE = "confident_org";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: Date | null;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  try {
    return await getAccount(id);
  } catch {
    return null; // the account was deleted since the session was issued
  }
}

export async function getActiveOrgPreference(): Promise<string | undefined> {
  return (await cookies()).get(ACTIVE_ORG_COOKIE)?.value;
}

export async function setActiveOrgPreference(organizationId: string) {
  (await cookies()).set(ACTIVE_ORG_COOKIE, organizationId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 86_400 });
}

/** The user, their active organization (or null) and every organization they belong to. */
export async function getWorkspace() {
  const user = await getSessionUser();
  if (!user) return null;
  const { active, organizations } = await resolveActiveOrganization(user.id, await getActiveOrgPreference());
  return { user, active, organizations };
}

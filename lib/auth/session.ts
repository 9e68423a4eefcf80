// The signed-in user and their active organization, for pages and server actions. The session is
// re-checked against its UserSession row on every call (an ended session is no session), and the
// active organization is a cookie preference, always re-checked against the user's memberships.
// An account whose email is not verified reaches no organization at all: until its owner uses a
// link we mailed, it can only ask for one (contract §5).
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { resolveSession, type SessionUser } from "@/lib/services/sessions";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { auth } from "./config";

export type { SessionUser };

export const ACTIVE_ORG_COOKIE = "confident_org";

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return resolveSession(id, session.sid);
}

export async function getActiveOrgPreference(): Promise<string | undefined> {
  return (await cookies()).get(ACTIVE_ORG_COOKIE)?.value;
}

export async function setActiveOrgPreference(organizationId: string) {
  const secure = env().APP_URL.startsWith("https://");
  (await cookies()).set(ACTIVE_ORG_COOKIE, organizationId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 86_400, secure });
}

/** The user, their active organization (or null) and every organization they belong to. */
export async function getWorkspace() {
  const user = await getSessionUser();
  if (!user) return null;
  if (!user.emailVerified) return { user, active: null, organizations: [] };
  const { active, organizations } = await resolveActiveOrganization(user.id, await getActiveOrgPreference());
  return { user, active, organizations };
}

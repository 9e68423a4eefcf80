// Whose members a table shows: the organization's, or one project's. Plain data, shared by the
// server-rendered table and its client controls.
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";

/** The project whose members these are; absent for the organization's. */
export interface MemberProject {
  id: string;
  name: string;
}

/** The owner role of the scope: only the Owner may give it, and giving it hands ownership over. */
export const ownerRoleOf = (project?: MemberProject): string => (project ? PROJECT_ROLES.Owner : SYSTEM_ROLES.Owner);

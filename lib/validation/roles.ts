import { z } from "zod";

export const MAX_IDS_PER_REQUEST = 100;

const Ref = z.object({ id: z.string(), name: z.string() });

export const PermissionDto = z
  .object({ id: z.string(), name: z.string(), description: z.string().nullable() })
  .meta({ id: "Permission" });
export type PermissionDto = z.infer<typeof PermissionDto>;

export const PolicyDto = z
  .object({ id: z.string(), name: z.string(), description: z.string().nullable(), permissions: z.array(Ref) })
  .meta({ id: "Policy" });
export type PolicyDto = z.infer<typeof PolicyDto>;

export const RoleDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    /** null marks the system roles (Owner, Admin, Member) shared by every organization. */
    organizationId: z.string().nullable(),
    policies: z.array(Ref),
  })
  .meta({ id: "Role" });
export type RoleDto = z.infer<typeof RoleDto>;

const Name = z
  .string({ error: "name is required and must be a string" })
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters");

// PUT is a full replacement, so an omitted description clears it, exactly as null or "" do.
const Description = z
  .string({ error: "description must be a string or null" })
  .trim()
  .max(500, "description must be at most 500 characters")
  .nullish()
  .transform((value) => value || null);

/** A list of UUIDs, lower-cased (Postgres prints them so) and de-duplicated. */
function idList(field: string, what: string) {
  return z
    .array(z.uuid({ error: `${field} must contain only ${what} ids (UUIDs)` }), {
      error: `${field} is required and must be a list of ${what} ids`,
    })
    .max(MAX_IDS_PER_REQUEST, `${field} may contain at most ${MAX_IDS_PER_REQUEST} ids`)
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);
}

export const RoleBody = z.object({ name: Name, policyIds: idList("policyIds", "policy"), description: Description });
export type RoleBody = z.infer<typeof RoleBody>;

export const PolicyBody = z.object({
  name: Name,
  permissionIds: idList("permissionIds", "permission"),
  description: Description,
});
export type PolicyBody = z.infer<typeof PolicyBody>;

export const RoleIdParams = z.object({ roleId: z.uuid({ error: "roleId must be a role id (UUID)" }) });
export const PolicyIdParams = z.object({ policyId: z.uuid({ error: "policyId must be a policy id (UUID)" }) });

export const ListRolesResponse = z.object({ roles: z.array(RoleDto) });
export const RoleResponse = z.object({ role: RoleDto });
export const ListPoliciesResponse = z.object({ policies: z.array(PolicyDto) });
export const PolicyResponse = z.object({ policy: PolicyDto });
export const ListPermissionsResponse = z.object({ permissions: z.array(PermissionDto) });

/** Roles and policies have UUIDs, unlike invitations' integer ids. */
export const DeletedUuidResponse = z.object({ id: z.string(), deleted: z.literal(true) });

// Contract §6, project members, roles, policies and permissions: the organization schemas
// wherever the shapes are the same, and only what differs at project scope defined here.
import { z } from "zod";
import { ProjectIdParam } from "./invitations";
import { MemberDto, MemberIdParams } from "./members";
import { PolicyBody, PolicyIdParams, RoleBody, RoleDto, RoleIdParams } from "./roles";

const Ref = z.object({ id: z.string(), name: z.string() });

export const ProjectMemberDto = MemberDto.omit({ organizationRole: true })
  .extend({ projectRole: Ref.nullable() })
  .meta({ id: "ProjectMember" });
export type ProjectMemberDto = z.infer<typeof ProjectMemberDto>;

export const ProjectRoleDto = RoleDto.omit({ organizationId: true })
  .extend({
    /** null marks the system project roles (Owner, Manager, Member) shared by every project. */
    projectId: z.string().nullable(),
  })
  .meta({ id: "ProjectRole" });
export type ProjectRoleDto = z.infer<typeof ProjectRoleDto>;

// Unlike the organization PUT, a project PUT that omits `description` keeps it (contract §6);
// the SDKs drop the field when the caller does not pass one. null or "" still clear it.
const KeptDescription = z
  .string({ error: "description must be a string or null" })
  .trim()
  .max(500, "description must be at most 500 characters")
  .nullish()
  .transform((value) => (value === undefined ? undefined : value || null));

export const ProjectRoleBody = RoleBody.extend({ description: KeptDescription });
export type ProjectRoleBody = z.infer<typeof ProjectRoleBody>;

export const ProjectPolicyBody = PolicyBody.extend({ description: KeptDescription });
export type ProjectPolicyBody = z.infer<typeof ProjectPolicyBody>;

export const ProjectParams = z.object({ projectId: ProjectIdParam });
export const ProjectMemberParams = ProjectParams.extend(MemberIdParams.shape);
export const ProjectRoleParams = ProjectParams.extend(RoleIdParams.shape);
export const ProjectPolicyParams = ProjectParams.extend(PolicyIdParams.shape);

export const ListProjectMembersResponse = z.object({ members: z.array(ProjectMemberDto), total: z.number().int() });
export const ProjectMemberResponse = z.object({ member: ProjectMemberDto });
export const ListProjectRolesResponse = z.object({ roles: z.array(ProjectRoleDto) });
export const ProjectRoleResponse = z.object({ role: ProjectRoleDto });

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { removeProjectMember, updateProjectMemberRole } from "@/lib/services/projects/members";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateProjectMember, async ({ ctx, params, body }) => ({
    member: await updateProjectMemberRole(ctx, params.projectId, params.userId, body),
  })),
  DELETE: apiRoute(endpoints.removeProjectMember, async ({ ctx, params }) =>
    removeProjectMember(ctx, params.projectId, params.userId),
  ),
});

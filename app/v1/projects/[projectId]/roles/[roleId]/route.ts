import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { projectScope } from "@/lib/services/iam";
import { deleteRole, updateRole } from "@/lib/services/roles";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateProjectRole, async ({ ctx, params, body }) => ({
    role: await updateRole(ctx, params.roleId, body, projectScope(params.projectId)),
  })),
  DELETE: apiRoute(endpoints.deleteProjectRole, async ({ ctx, params }) =>
    deleteRole(ctx, params.roleId, projectScope(params.projectId)),
  ),
});

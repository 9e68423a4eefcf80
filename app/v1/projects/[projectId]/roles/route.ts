import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { projectScope } from "@/lib/services/iam";
import { createRole, listRoles } from "@/lib/services/roles";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectRoles, async ({ ctx, params }) => ({
    roles: await listRoles(ctx, projectScope(params.projectId)),
  })),
  POST: apiRoute(endpoints.createProjectRole, async ({ ctx, params, body }) => ({
    role: await createRole(ctx, body, projectScope(params.projectId)),
  })),
});

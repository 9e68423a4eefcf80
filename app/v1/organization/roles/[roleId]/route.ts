import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deleteRole, updateRole } from "@/lib/services/roles";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateRole, async ({ ctx, params, body }) => ({
    role: await updateRole(ctx, params.roleId, body),
  })),
  DELETE: apiRoute(endpoints.deleteRole, async ({ ctx, params }) => deleteRole(ctx, params.roleId)),
});

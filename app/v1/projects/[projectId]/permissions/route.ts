import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { listPermissions, projectScope } from "@/lib/services/iam";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectPermissions, async ({ ctx, params }) => ({
    permissions: await listPermissions(ctx, projectScope(params.projectId)),
  })),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { listProjectMembers } from "@/lib/services/projects/members";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectMembers, async ({ ctx, params, query }) =>
    listProjectMembers(ctx, params.projectId, query),
  ),
});

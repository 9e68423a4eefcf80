import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { projectScope } from "@/lib/services/iam";
import { deletePolicy, updatePolicy } from "@/lib/services/policies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateProjectPolicy, async ({ ctx, params, body }) => ({
    policy: await updatePolicy(ctx, params.policyId, body, projectScope(params.projectId)),
  })),
  DELETE: apiRoute(endpoints.deleteProjectPolicy, async ({ ctx, params }) =>
    deletePolicy(ctx, params.policyId, projectScope(params.projectId)),
  ),
});

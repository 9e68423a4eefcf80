import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { projectScope } from "@/lib/services/iam";
import { createPolicy, listPolicies } from "@/lib/services/policies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectPolicies, async ({ ctx, params }) => ({
    policies: await listPolicies(ctx, projectScope(params.projectId)),
  })),
  POST: apiRoute(endpoints.createProjectPolicy, async ({ ctx, params, body }) => ({
    policy: await createPolicy(ctx, body, projectScope(params.projectId)),
  })),
});

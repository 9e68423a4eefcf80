import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { unassignProjects } from "@/lib/services/governance";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: apiRoute(endpoints.unassignGovernancePolicy, async ({ ctx, params, body }) =>
    unassignProjects(ctx, params.policyId, body),
  ),
});

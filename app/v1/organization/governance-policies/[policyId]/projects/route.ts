import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { listGovernancePolicyProjects } from "@/lib/services/governance";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listGovernancePolicyProjects, async ({ ctx, params, query }) =>
    listGovernancePolicyProjects(ctx, params.policyId, query),
  ),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { assignProjects } from "@/lib/services/governance";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: apiRoute(endpoints.assignGovernancePolicy, async ({ ctx, params, body }) => assignProjects(ctx, params.policyId, body)),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deleteGovernancePolicy, updateGovernancePolicy } from "@/lib/services/governance";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateGovernancePolicy, async ({ ctx, params, body }) => ({
    governancePolicy: await updateGovernancePolicy(ctx, params.policyId, body),
  })),
  DELETE: apiRoute(endpoints.deleteGovernancePolicy, async ({ ctx, params }) => deleteGovernancePolicy(ctx, params.policyId)),
});

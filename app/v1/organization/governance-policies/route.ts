import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createGovernancePolicy, listGovernancePolicies } from "@/lib/services/governance";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listGovernancePolicies, async ({ ctx }) => ({
    governancePolicies: await listGovernancePolicies(ctx),
  })),
  POST: apiRoute(endpoints.createGovernancePolicy, async ({ ctx, body }) => ({
    governancePolicy: await createGovernancePolicy(ctx, body),
  })),
});

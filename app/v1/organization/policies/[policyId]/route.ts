import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deletePolicy, updatePolicy } from "@/lib/services/policies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updatePolicy, async ({ ctx, params, body }) => ({
    policy: await updatePolicy(ctx, params.policyId, body),
  })),
  DELETE: apiRoute(endpoints.deletePolicy, async ({ ctx, params }) => deletePolicy(ctx, params.policyId)),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createPolicy, listPolicies } from "@/lib/services/policies";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listPolicies, async ({ ctx }) => ({ policies: await listPolicies(ctx) })),
  POST: apiRoute(endpoints.createPolicy, async ({ ctx, body }) => ({ policy: await createPolicy(ctx, body) })),
});

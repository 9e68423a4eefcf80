import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createApiKey, listApiKeys, projectKeys } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectApiKeys, async ({ ctx, params }) => ({
    apiKeys: await listApiKeys(ctx, projectKeys(params.projectId)),
  })),
  POST: apiRoute(endpoints.createProjectApiKey, async ({ ctx, params, body }) => ({
    apiKey: await createApiKey(ctx, body, projectKeys(params.projectId)),
  })),
});

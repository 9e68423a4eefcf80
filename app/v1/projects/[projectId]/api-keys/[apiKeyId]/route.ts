import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deleteApiKey, getApiKey, projectKeys, updateApiKey } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.getProjectApiKey, async ({ ctx, params }) => ({
    apiKey: await getApiKey(ctx, params.apiKeyId, projectKeys(params.projectId)),
  })),
  PUT: apiRoute(endpoints.updateProjectApiKey, async ({ ctx, params, body }) => ({
    apiKey: await updateApiKey(ctx, params.apiKeyId, body, projectKeys(params.projectId)),
  })),
  DELETE: apiRoute(endpoints.deleteProjectApiKey, async ({ ctx, params }) =>
    deleteApiKey(ctx, params.apiKeyId, projectKeys(params.projectId)),
  ),
});

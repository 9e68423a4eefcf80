import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deleteApiKey, getApiKey, updateApiKey } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.getApiKey, async ({ ctx, params }) => ({ apiKey: await getApiKey(ctx, params.apiKeyId) })),
  PUT: apiRoute(endpoints.updateApiKey, async ({ ctx, params, body }) => ({
    apiKey: await updateApiKey(ctx, params.apiKeyId, body),
  })),
  DELETE: apiRoute(endpoints.deleteApiKey, async ({ ctx, params }) => deleteApiKey(ctx, params.apiKeyId)),
});

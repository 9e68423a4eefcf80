import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createApiKey, listApiKeys } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listApiKeys, async ({ ctx }) => ({ apiKeys: await listApiKeys(ctx) })),
  POST: apiRoute(endpoints.createApiKey, async ({ ctx, body }) => ({ apiKey: await createApiKey(ctx, body) })),
});

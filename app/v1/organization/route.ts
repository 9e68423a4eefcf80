import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { getOrganization, updateOrganization } from "@/lib/services/organization";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.getOrganization, async ({ ctx }) => ({ organization: await getOrganization(ctx) })),
  PUT: apiRoute(endpoints.updateOrganization, async ({ ctx, body }) => ({
    organization: await updateOrganization(ctx, body),
  })),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createRole, listRoles } from "@/lib/services/roles";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listRoles, async ({ ctx }) => ({ roles: await listRoles(ctx) })),
  POST: apiRoute(endpoints.createRole, async ({ ctx, body }) => ({ role: await createRole(ctx, body) })),
});

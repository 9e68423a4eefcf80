import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { listPermissions } from "@/lib/services/iam";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listPermissions, async ({ ctx }) => ({ permissions: await listPermissions(ctx) })),
});

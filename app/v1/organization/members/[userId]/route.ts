import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { removeMember, updateMemberRole } from "@/lib/services/members";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.updateMember, async ({ ctx, params, body }) => ({
    member: await updateMemberRole(ctx, params.userId, body),
  })),
  DELETE: apiRoute(endpoints.removeMember, async ({ ctx, params }) => removeMember(ctx, params.userId)),
});

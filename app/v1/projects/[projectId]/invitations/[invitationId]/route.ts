import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { projectScope, resendInvitation, revokeInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.resendProjectInvitation, async ({ ctx, params }) => {
    const { invitation } = await resendInvitation(ctx, params.invitationId, projectScope(params.projectId));
    return { invitation };
  }),
  DELETE: apiRoute(endpoints.revokeProjectInvitation, async ({ ctx, params }) =>
    revokeInvitation(ctx, params.invitationId, projectScope(params.projectId)),
  ),
});

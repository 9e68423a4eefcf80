import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { resendInvitation, revokeInvitation } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  PUT: apiRoute(endpoints.resendInvitation, async ({ ctx, params }) => {
    const { invitation } = await resendInvitation(ctx, params.invitationId);
    return { invitation };
  }),
  DELETE: apiRoute(endpoints.revokeInvitation, async ({ ctx, params }) => revokeInvitation(ctx, params.invitationId)),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createInvitations, listInvitationsResponse } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listInvitations, ({ ctx, query }) => listInvitationsResponse(ctx, query)),
  POST: apiRoute(endpoints.createInvitations, async ({ ctx, body }) => {
    // The raw link tokens stay server-side: API clients never see them.
    const { invitations, skipped } = await createInvitations(ctx, body);
    return { invitations, skipped };
  }),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createInvitations, listInvitationsResponse, projectScope } from "@/lib/services/invitations";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjectInvitations, ({ ctx, params, query }) =>
    listInvitationsResponse(ctx, query, projectScope(params.projectId)),
  ),
  POST: apiRoute(endpoints.createProjectInvitations, async ({ ctx, params, body }) => {
    // The raw link tokens stay server-side: API clients never see them.
    const { invitations, skipped } = await createInvitations(ctx, body, projectScope(params.projectId));
    return { invitations, skipped };
  }),
});

import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { deleteProject, getProject, updateProject } from "@/lib/services/projects/projects";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.getProject, async ({ ctx, params }) => ({ project: await getProject(ctx, params.projectId) })),
  PUT: apiRoute(endpoints.updateProject, async ({ ctx, params, body }) => ({
    project: await updateProject(ctx, params.projectId, body),
  })),
  DELETE: apiRoute(endpoints.deleteProject, async ({ ctx, params }) => deleteProject(ctx, params.projectId)),
});

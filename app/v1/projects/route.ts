import { endpoints } from "@/lib/api/endpoints";
import { apiRoute, routeMethods } from "@/lib/api/route";
import { createProject, listProjects } from "@/lib/services/projects/projects";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: apiRoute(endpoints.listProjects, async ({ ctx }) => ({ projects: await listProjects(ctx) })),
  POST: apiRoute(endpoints.createProject, async ({ ctx, body }) => createProject(ctx, body)),
});

import { endpoints } from "@/lib/api/endpoints";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requestIdOf } from "@/lib/api/request";
import { routeMethods, type RouteHandler } from "@/lib/api/route";

export const dynamic = "force-dynamic";

const document: RouteHandler = async (request) =>
  Response.json(buildOpenApiDocument(), { headers: { "x-request-id": requestIdOf(request) } });
document.endpoint = endpoints.openapi;

export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({ GET: document });

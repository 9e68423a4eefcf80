import { requestIdOf } from "@/lib/api/request";
import { checkHealth } from "@/lib/services/health";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const health = await checkHealth();
  return Response.json(health.body, {
    status: health.ok ? 200 : 503,
    headers: { "cache-control": "no-store", "x-request-id": requestIdOf(request) },
  });
}

// Development only: the rendered HTML of one email template (its default props), for the
// preview page's iframes. 404 in production.
import { EMAIL_PREVIEWS, renderPreview } from "@/emails";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ kind: string }> }) {
  const { kind } = await context.params;
  const preview = EMAIL_PREVIEWS.find((p) => p.kind === kind);
  if (env().NODE_ENV === "production" || !preview) {
    return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  }
  const { html } = await renderPreview(preview);
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // Mail HTML needs inline styles and nothing else: no scripts, no network.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      "x-robots-tag": "noindex",
    },
  });
}

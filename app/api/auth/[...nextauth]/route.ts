import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { env } from "@/lib/env";

/**
 * A sign-in link is used by the POST of the page it opens, never by a GET: mail scanners and
 * link previews open links. A GET of Auth.js's email callback (an old link, or someone typing
 * it) lands on that page instead, on the configured origin.
 */
export async function GET(request: NextRequest) {
  const url = new URL(request.url);
  if (url.pathname.endsWith("/callback/email")) {
    return Response.redirect(`${env().APP_URL}/sign-in/confirm${url.search}`, 303);
  }
  return handlers.GET(request);
}

export const { POST } = handlers;

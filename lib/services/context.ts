// Who is acting, for which organization, in which request. Resolved from authentication (an
// API key or a signed-in user), never from a request body.
export type Actor =
  | { type: "apiKey"; apiKeyId: number; organizationId: string }
  | { type: "user"; userId: string; organizationId: string };

export interface ServiceContext {
  actor: Actor;
  requestId: string;
}

export function actorId(actor: Actor): string {
  return actor.type === "apiKey" ? String(actor.apiKeyId) : actor.userId;
}

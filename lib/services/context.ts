// Who is acting, for which organization, in which request. Resolved from authentication (an
// API key or a signed-in user), never from a request body.

/** What an actor may do in its organization: its role (null when not a member) and permissions. */
import "server-only";
export interface Authority {
  roleId: string | null;
  permissions: ReadonlySet<string>;
}

export interface OrganizationSnapshot {
  id: string;
  name: string;
  plan: string;
  createdAt: Date;
}

export type Actor =
  | { type: "user"; userId: string; organizationId: string }
  | {
      type: "apiKey";
      apiKeyId: number;
      organizationId: string;
      /**
       * The user the key acts as (contract §5); null for an operator key, which acts as the Owner.
       * A key minted by a key carries the minting key's creator.
       */
      creatorUserId: string | null;
      /** The creator's authority as read while authenticating the request (saves a round trip). */
      authority?: Authority;
      /** The key's organization as read while authenticating (GET /v1/organization needs nothing more). */
      organization?: OrganizationSnapshot;
    };

export interface ServiceContext {
  actor: Actor;
  requestId: string;
}

export function actorId(actor: Actor): string {
  return actor.type === "apiKey" ? String(actor.apiKeyId) : actor.userId;
}

/** The user behind an actor: the signed-in user, a key's creator, or null for an operator key. */
export function actingUserId(actor: Actor): string | null {
  return actor.type === "user" ? actor.userId : actor.creatorUserId;
}

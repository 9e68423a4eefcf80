// Server-only: the two lists of an invitations settings page, the organization's or a project's.
// Open invitations (pending, expired) and declined ones are paged apart, 50 at a time, newest
// first, each with its own cursor in the address (`cursor`, `declined`); the filters apply to both
// and every link keeps them.
import "server-only";
import type { ServiceContext } from "@/lib/services/context";
import {
  countInvitations,
  listInvitationPage,
  type InvitationFilters,
  type InvitationScope,
} from "@/lib/services/invitations";
import { decodeInvitationCursor, type AnyInvitationDto } from "@/lib/validation/invitations";

export const INVITATIONS_PAGE_SIZE = 50;

/** The status picker's choices; Expired is a PENDING invitation past its expiry. */
export const STATUS_FILTERS = { PENDING: "Pending", EXPIRED: "Expired", DECLINED: "Declined" } as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export type SearchParams = Record<string, string | string[] | undefined>;
export const firstParam = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export interface PagedInvitations {
  invitations: AnyInvitationDto[];
  /** All that match, over every page. */
  total: number;
  /** The first page, when this is a later one. */
  newestHref: string | null;
  /** The next page of older ones, while there is one. */
  olderHref: string | null;
}

const CURSOR_PARAMS = { open: "cursor", declined: "declined" } as const;

export async function invitationLists(
  ctx: ServiceContext,
  scope: InvitationScope,
  { path, params, status, email, now }: { path: string; params: SearchParams; status?: StatusFilter; email?: string; now: Date },
): Promise<{ open: PagedInvitations; declined: PagedInvitations }> {
  const kept = new URLSearchParams();
  if (status) kept.set("status", status);
  if (email) kept.set("email", email);
  const cursors = { open: firstParam(params.cursor), declined: firstParam(params.declined) };
  for (const [list, name] of Object.entries(CURSOR_PARAMS)) {
    const value = cursors[list as keyof typeof cursors];
    if (value) kept.set(name, value);
  }
  const href = (name: string, cursor: string | null) => {
    const query = new URLSearchParams(kept);
    if (cursor) query.set(name, cursor);
    else query.delete(name);
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };

  async function one(list: keyof typeof CURSOR_PARAMS, filters: InvitationFilters | null): Promise<PagedInvitations> {
    if (!filters) return { invitations: [], total: 0, newestHref: null, olderHref: null };
    const raw = cursors[list];
    // A cursor that does not decode (edited by hand, cut short) starts from the newest.
    const cursor = raw ? (decodeInvitationCursor(raw) ?? undefined) : undefined;
    const [page, total] = await Promise.all([
      listInvitationPage(ctx, { ...filters, limit: INVITATIONS_PAGE_SIZE, cursor }, scope),
      countInvitations(ctx, filters, scope),
    ]);
    const name = CURSOR_PARAMS[list];
    return {
      invitations: page.invitations,
      total,
      newestHref: raw ? href(name, null) : null,
      olderHref: page.nextCursor ? href(name, page.nextCursor) : null,
    };
  }

  const [open, declined] = await Promise.all([
    one(
      "open",
      status === "DECLINED"
        ? null
        : { status: "PENDING", email, expiry: status ? { expired: status === "EXPIRED", now } : undefined },
    ),
    one("declined", status === undefined || status === "DECLINED" ? { status: "DECLINED", email } : null),
  ]);
  return { open, declined };
}

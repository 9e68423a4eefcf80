import {
  ListMembersQuery,
  ListMembersResponse,
  MemberIdParams,
  MemberResponse,
  RemovedResponse,
  UpdateMemberBody,
} from "@/lib/validation/members";
import { define } from "./define";

export const memberEndpoints = {
  listMembers: define({
    method: "GET",
    path: "/v1/organization/members",
    tag: "Members",
    summary: "List members in join order, a page at a time",
    auth: true,
    query: ListMembersQuery,
    response: ListMembersResponse,
  }),
  updateMember: define({
    method: "PUT",
    path: "/v1/organization/members/{userId}",
    tag: "Members",
    summary: "Change a member's role; giving Owner transfers ownership",
    auth: true,
    params: MemberIdParams,
    body: UpdateMemberBody,
    response: MemberResponse,
  }),
  removeMember: define({
    method: "DELETE",
    path: "/v1/organization/members/{userId}",
    tag: "Members",
    summary: "Remove a member (not the Owner) and revoke their pending invitations",
    auth: true,
    params: MemberIdParams,
    response: RemovedResponse,
  }),
};

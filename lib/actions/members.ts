"use server";
// Settings → Members: change a member's role (choosing Owner transfers ownership) and remove a
// member. The services hold every rule; these only bind the forms to them.
import { z } from "zod";
import { removeMember, updateMemberRole } from "@/lib/services/members";
import { MemberIdParams, UpdateMemberBody, type MemberDto } from "@/lib/validation/members";
import { formToObject, runOrgAction, type ActionResult } from "./run";

const ChangeRoleForm = z.object({ ...MemberIdParams.shape, ...UpdateMemberBody.shape });

// Removing a member also revokes their pending invitations, which the invitations page lists.
const REVALIDATE = ["/settings/members", "/settings/invitations"];

export async function changeMemberRoleAction(
  _prev: ActionResult<MemberDto> | null,
  form: FormData,
): Promise<ActionResult<MemberDto>> {
  return runOrgAction(
    formToObject(form),
    { schema: ChangeRoleForm, revalidate: REVALIDATE },
    (ctx, { userId, roleId }) => updateMemberRole(ctx, userId, { roleId }),
  );
}

export async function removeMemberAction(
  _prev: ActionResult<{ id: string; removed: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string; removed: true }>> {
  return runOrgAction(
    formToObject(form),
    { schema: MemberIdParams, revalidate: REVALIDATE },
    (ctx, { userId }) => removeMember(ctx, userId),
  );
}

import { z } from "zod";

export const MemberDto = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    image: z.string().nullable(),
    organizationRole: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: "Member" });
export type MemberDto = z.infer<typeof MemberDto>;

const positiveInt = (field: string, max: number) =>
  z
    .string()
    .regex(/^[1-9]\d{0,8}$/, `${field} must be a whole number between 1 and ${max}`)
    .transform(Number)
    .refine((n) => n <= max, `${field} must be a whole number between 1 and ${max}`);

export const ListMembersQuery = z.object({
  page: positiveInt("page", 100_000_000).default(1),
  pageSize: positiveInt("pageSize", 100).default(25),
});
export type ListMembersQuery = z.infer<typeof ListMembersQuery>;

export const ListMembersResponse = z.object({ members: z.array(MemberDto), total: z.number().int() });

export const MemberIdParams = z.object({
  userId: z.string().min(1, "userId is required").max(100, "userId is too long"),
});

export const UpdateMemberBody = z.object({
  roleId: z.uuid({ error: "roleId is required and must be a role id (UUID)" }),
});
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const MemberResponse = z.object({ member: MemberDto });

export const RemovedResponse = z.object({ id: z.string(), removed: z.literal(true) });

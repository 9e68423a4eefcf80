import { z } from "zod";
import { Timestamp } from "./common";

export const PlanEnum = z.enum(["TRIAL", "FREE", "STARTER", "TEAM", "PREMIUM", "ENTERPRISE"]);

export const OrganizationDto = z
  .object({ id: z.string(), name: z.string(), plan: PlanEnum, created_at: Timestamp })
  .meta({ id: "Organization" });
export type OrganizationDto = z.infer<typeof OrganizationDto>;

export const UpdateOrganizationBody = z.object({
  name: z
    .string({ error: "name is required and must be a string" })
    .trim()
    .min(1, "name must not be empty")
    .max(100, "name must be at most 100 characters"),
});
export type UpdateOrganizationBody = z.infer<typeof UpdateOrganizationBody>;

export const OrganizationResponse = z.object({ organization: OrganizationDto });

// Projects and project API keys (contract §6), named as the contract names them.
import { z } from "zod";
import { ApiKeyDto } from "./api-keys";
import { IntegerId, Timestamp } from "./common";
import { emailField } from "./email";

const Ref = z.object({ id: z.string(), name: z.string() });

export const ProjectDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    organizationId: z.string(),
    created_at: Timestamp,
    // Always present: null when the project is on no governance policy.
    governancePolicy: Ref.nullable(),
  })
  .meta({ id: "Project" });
export type ProjectDto = z.infer<typeof ProjectDto>;

export const MAX_PROJECT_NAME = 100;
export const MAX_PROJECT_DESCRIPTION = 500;

const name = (typeError: string) =>
  z
    .string({ error: typeError })
    .trim()
    .min(1, "name must not be empty")
    .max(MAX_PROJECT_NAME, `name must be at most ${MAX_PROJECT_NAME} characters`);

// Blank means "no description": stored as null, like a role's.
const DescriptionText = z
  .string({ error: "description must be a string or null" })
  .trim()
  .max(MAX_PROJECT_DESCRIPTION, `description must be at most ${MAX_PROJECT_DESCRIPTION} characters`);

/**
 * A project id in a path or a list. Ids are opaque strings (cuid): anything non-empty and not
 * absurdly long is looked up, and an id that matches nothing is simply not found.
 */
export const projectIdField = (m: { type: string; empty: string; long: string }) =>
  z.string({ error: m.type }).min(1, m.empty).max(100, m.long);

export const ProjectId = projectIdField({
  type: "projectId must be a string",
  empty: "projectId must not be empty",
  long: "projectId is too long",
});

export const ProjectIdParams = z.object({ projectId: ProjectId });
export const ProjectApiKeyIdParams = z.object({ projectId: ProjectId, apiKeyId: IntegerId });

export const CreateProjectBody = z.object({
  name: name("name is required and must be a string"),
  description: DescriptionText.nullish().transform((value) => value || null),
  // The org member who becomes the project's Owner; the SDKs omit it when not given.
  email: emailField("email must be a valid email address").nullish(),
});
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

// Built without defaults on purpose: only the fields sent may change (a zod `.partial()` of the
// create schema would keep its transforms' defaults and reset fields nobody sent).
export const UpdateProjectBody = z.object({
  name: name("name must be a string").optional(),
  description: DescriptionText.nullable()
    .optional()
    .transform((value) => (value === undefined ? undefined : value || null)),
});
export type UpdateProjectBody = z.infer<typeof UpdateProjectBody>;

export const ListProjectsResponse = z.object({ projects: z.array(ProjectDto) });
export const ProjectResponse = z.object({ project: ProjectDto });
// The default key's full value, shown only in this answer.
export const CreateProjectResponse = z.object({ project: ProjectDto, apiKey: ApiKeyDto });

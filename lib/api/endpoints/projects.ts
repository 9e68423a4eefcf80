// /v1 endpoints: projects and project API keys (contract §6).
import { ApiKeyResponse, CreateApiKeyBody, ListApiKeysResponse, UpdateApiKeyBody } from "@/lib/validation/api-keys";
import { DeletedResponse } from "@/lib/validation/invitations";
import {
  CreateProjectBody,
  CreateProjectResponse,
  ListProjectsResponse,
  ProjectApiKeyIdParams,
  ProjectIdParams,
  ProjectResponse,
  UpdateProjectBody,
} from "@/lib/validation/projects";
import { DeletedUuidResponse } from "@/lib/validation/roles";
import { define } from "./define";

const PROJECT = "/v1/projects/{projectId}";

export const projectEndpoints = {
  listProjects: define({
    method: "GET",
    path: "/v1/projects",
    tag: "Projects",
    summary: "List the projects the key can see, newest first (all of them with the org's project:manage)",
    auth: true,
    response: ListProjectsResponse,
  }),
  createProject: define({
    method: "POST",
    path: "/v1/projects",
    tag: "Projects",
    summary: "Create a project (optionally with an org member as its Owner) and its default API key, shown only here",
    auth: true,
    body: CreateProjectBody,
    response: CreateProjectResponse,
  }),
  getProject: define({
    method: "GET",
    path: PROJECT,
    tag: "Projects",
    summary: "Get one project",
    auth: true,
    params: ProjectIdParams,
    response: ProjectResponse,
  }),
  updateProject: define({
    method: "PUT",
    path: PROJECT,
    tag: "Projects",
    summary: "Rename a project or change its description; only the fields sent change",
    auth: true,
    params: ProjectIdParams,
    body: UpdateProjectBody,
    response: ProjectResponse,
  }),
  deleteProject: define({
    method: "DELETE",
    path: PROJECT,
    tag: "Projects",
    summary: "Delete a project with its keys, memberships, open invitations, roles, policies and enrollment",
    auth: true,
    params: ProjectIdParams,
    // A project id is a string (not a UUID, but the same shape of answer).
    response: DeletedUuidResponse,
  }),
  listProjectApiKeys: define({
    method: "GET",
    path: `${PROJECT}/api-keys`,
    tag: "Project API keys",
    summary: "List the project's API keys, redacted, oldest first",
    auth: true,
    params: ProjectIdParams,
    response: ListApiKeysResponse,
  }),
  createProjectApiKey: define({
    method: "POST",
    path: `${PROJECT}/api-keys`,
    tag: "Project API keys",
    summary: "Create a project API key; the full value is returned only in this response",
    auth: true,
    params: ProjectIdParams,
    body: CreateApiKeyBody,
    response: ApiKeyResponse,
  }),
  getProjectApiKey: define({
    method: "GET",
    path: `${PROJECT}/api-keys/{apiKeyId}`,
    tag: "Project API keys",
    summary: "Get one project API key, redacted",
    auth: true,
    params: ProjectApiKeyIdParams,
    response: ApiKeyResponse,
  }),
  updateProjectApiKey: define({
    method: "PUT",
    path: `${PROJECT}/api-keys/{apiKeyId}`,
    tag: "Project API keys",
    summary: "Deactivate (valid: false) or reactivate (valid: true) a project API key",
    auth: true,
    params: ProjectApiKeyIdParams,
    body: UpdateApiKeyBody,
    response: ApiKeyResponse,
  }),
  deleteProjectApiKey: define({
    method: "DELETE",
    path: `${PROJECT}/api-keys/{apiKeyId}`,
    tag: "Project API keys",
    summary: "Delete a project API key permanently",
    auth: true,
    params: ProjectApiKeyIdParams,
    response: DeletedResponse,
  }),
};

import {
  ApiKeyIdParams,
  ApiKeyResponse,
  CreateApiKeyBody,
  ListApiKeysResponse,
  UpdateApiKeyBody,
} from "@/lib/validation/api-keys";
import { DeletedResponse } from "@/lib/validation/invitations";
import { define } from "./define";

export const apiKeyEndpoints = {
  listApiKeys: define({
    method: "GET",
    path: "/v1/organization/api-keys",
    tag: "API keys",
    summary: "List the organization's API keys, redacted, oldest first",
    auth: true,
    response: ListApiKeysResponse,
  }),
  createApiKey: define({
    method: "POST",
    path: "/v1/organization/api-keys",
    tag: "API keys",
    summary: "Create an API key; the full value is returned only in this response",
    auth: true,
    body: CreateApiKeyBody,
    response: ApiKeyResponse,
  }),
  getApiKey: define({
    method: "GET",
    path: "/v1/organization/api-keys/{apiKeyId}",
    tag: "API keys",
    summary: "Get one API key, redacted",
    auth: true,
    params: ApiKeyIdParams,
    response: ApiKeyResponse,
  }),
  updateApiKey: define({
    method: "PUT",
    path: "/v1/organization/api-keys/{apiKeyId}",
    tag: "API keys",
    summary: "Deactivate (valid: false) or reactivate (valid: true) an API key",
    auth: true,
    params: ApiKeyIdParams,
    body: UpdateApiKeyBody,
    response: ApiKeyResponse,
  }),
  deleteApiKey: define({
    method: "DELETE",
    path: "/v1/organization/api-keys/{apiKeyId}",
    tag: "API keys",
    summary: "Delete an API key permanently",
    auth: true,
    params: ApiKeyIdParams,
    response: DeletedResponse,
  }),
};

// GET /v1/openapi.json: an OpenAPI 3.1 document generated from the same zod schemas the routes
// validate with (lib/api/endpoints/), so the document cannot drift from the behaviour.
import { z } from "zod";
import { env } from "@/lib/env";
import { envelope, ErrorEnvelope } from "@/lib/validation/common";
import { endpoints } from "./endpoints";
import type { Endpoint } from "./route";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // An empty metadata registry inlines everything: each operation is self-contained.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    metadata: z.registry(),
  }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const ERROR_RESPONSE = { $ref: "#/components/responses/Error" };

function operation(id: string, endpoint: Endpoint) {
  const isDocument = endpoint.path === "/v1/openapi.json";
  return {
    operationId: id,
    summary: endpoint.summary,
    tags: [endpoint.tag],
    security: endpoint.auth ? [{ ConfidentApiKey: [] }, { BearerAuth: [] }] : [],
    parameters: [...parameters(endpoint.params, "path"), ...parameters(endpoint.query, "query")],
    ...(endpoint.body
      ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(endpoint.body, "input") } } } }
      : {}),
    responses: {
      "200": {
        description: "Success",
        content: {
          "application/json": {
            schema: isDocument ? { type: "object" } : toSchema(envelope(endpoint.response), "output"),
          },
        },
      },
      ...(endpoint.auth ? { "4XX": ERROR_RESPONSE } : {}),
      "5XX": ERROR_RESPONSE,
    },
  };
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(id, endpoint);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Confident organization API (self-hosted)",
      version: "1.0.0",
      description:
        "Wire-compatible with Confident AI's organization API. Every success is HTTP 200 with " +
        "{success: true, data, deprecated}; errors carry {success: false, error, code, deprecated}.",
    },
    servers: [{ url: env().APP_URL }],
    paths,
    components: {
      securitySchemes: {
        ConfidentApiKey: { type: "apiKey", in: "header", name: "CONFIDENT_API_KEY" },
        BearerAuth: { type: "http", scheme: "bearer" },
      },
      schemas: { Error: toSchema(ErrorEnvelope, "output") },
      responses: {
        Error: {
          description: "Error envelope",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}

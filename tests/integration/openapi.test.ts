// GET /v1/openapi.json: an OpenAPI 3.1 document in which every implemented route appears, found
// by walking app/v1 for route files and reading the endpoint each apiRoute handler carries.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as openapi from "@/app/v1/openapi.json/route";
import type { Endpoint, RouteHandler } from "@/lib/api/route";
import { call } from "../helpers/api";

const APP_DIR = path.resolve(__dirname, "../../app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Implemented {
  file: string;
  /** The URL path the file serves, in OpenAPI spelling: [id] becomes {id}. */
  routePath: string;
  method: (typeof METHODS)[number];
  endpoint: Endpoint;
}

type Json = any;
let doc: Json;
let implemented: Implemented[];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

function routePathOf(file: string): string {
  const segments = path.relative(APP_DIR, path.dirname(file)).split(path.sep);
  return `/${segments
    .filter((s) => !/^\(.*\)$/.test(s)) // route groups do not appear in URLs
    .map((s) => s.replace(/^\[([A-Za-z0-9_]+)\]$/, "{$1}"))
    .join("/")}`;
}

async function implementedHandlers(): Promise<Implemented[]> {
  const found: Implemented[] = [];
  for (const file of routeFiles(path.join(APP_DIR, "v1")).sort()) {
    const mod = (await import(/* @vite-ignore */ file)) as Partial<Record<string, RouteHandler>>;
    for (const method of METHODS) {
      const endpoint = mod[method]?.endpoint;
      if (endpoint) found.push({ file: path.relative(APP_DIR, file), routePath: routePathOf(file), method, endpoint });
    }
  }
  return found;
}

function resolvePointer(root: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<Json>((node, key) => (node === undefined ? undefined : node[key]), root);
}

function refsIn(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}

beforeAll(async () => {
  implemented = await implementedHandlers();
  const res = await call(openapi, "GET", { path: "/v1/openapi.json" });
  expect(res.status).toBe(200);
  doc = res.body;
});

describe("GET /v1/openapi.json", () => {
  it("answers 200 with an OpenAPI 3.1 document and a request id, without a key", async () => {
    const res = await call(openapi, "GET", { path: "/v1/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(res.body.paths).length).toBeGreaterThan(0);
  });

  it("lists every implemented route handler, under the path its file serves", () => {
    // apiRoute handlers carry their endpoint; 405 stubs and the catch-all do not.
    expect(implemented.length).toBeGreaterThanOrEqual(7);
    for (const { file, routePath, method, endpoint } of implemented) {
      const where = `${method} ${file}`;
      expect(endpoint.method, where).toBe(method);
      expect(endpoint.path, where).toBe(routePath);
      const operation = doc.paths[endpoint.path]?.[method.toLowerCase()];
      expect(operation, `${where}: no operation in the document`).toBeDefined();
      const schema = operation.responses?.["200"]?.content?.["application/json"]?.schema;
      expect(schema, `${where}: no 200 response schema`).toMatchObject({ type: "object" });
    }
  });

  it("documents no operation that no route file implements", () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const served = implemented.map((i) => `${i.method} ${i.endpoint.path}`);
    expect(documented.sort()).toEqual(served.sort());
  });

  it("gives each operation a unique id, the error envelope for failures, and resolvable references", () => {
    const operations = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap((ops) => Object.values(ops));
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      expect(op.responses["5XX"], op.operationId).toEqual({ $ref: "#/components/responses/Error" });
      if (op.security.length > 0) expect(op.responses["4XX"], op.operationId).toEqual({ $ref: "#/components/responses/Error" });
    }
    for (const ref of refsIn(doc)) expect(resolvePointer(doc, ref), ref).toBeDefined();
    expect(doc.components.schemas.Error).toMatchObject({
      type: "object",
      properties: { success: expect.anything(), error: { type: "string" }, code: { type: "string" } },
    });
  });

  it("describes createInvitations' body (1-100 emails, optional role id) and the invitationId path parameter", () => {
    const create = doc.paths["/v1/organization/invitations"].post;
    expect(create.operationId).toBe("createInvitations");
    const body = create.requestBody.content["application/json"].schema;
    expect(body.required).toContain("emails");
    expect(body.required ?? []).not.toContain("organizationRoleId");
    expect(body.properties.emails).toMatchObject({ type: "array", minItems: 1, maxItems: 100, items: { type: "string" } });
    expect(body.properties.organizationRoleId).toMatchObject({ type: "string", format: "uuid" });
    for (const method of ["put", "delete"]) {
      const operation = doc.paths["/v1/organization/invitations/{invitationId}"][method];
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: "invitationId", in: "path", required: true, schema: expect.objectContaining({ type: "string" }) }),
      );
    }
    const list = doc.paths["/v1/organization/invitations"].get;
    expect(list.parameters).toContainEqual(expect.objectContaining({ name: "status", in: "query", required: false }));
  });

  it("declares the CONFIDENT_API_KEY header (and Bearer) and requires a key everywhere but on itself", () => {
    const schemes = Object.entries(doc.components.securitySchemes as Record<string, Json>);
    const apiKey = schemes.find(([, s]) => s.type === "apiKey" && s.in === "header" && s.name === "CONFIDENT_API_KEY");
    expect(apiKey).toBeDefined();
    expect(schemes.some(([, s]) => s.type === "http" && s.scheme === "bearer")).toBe(true);
    for (const { method, endpoint } of implemented) {
      const security = doc.paths[endpoint.path][method.toLowerCase()].security as Record<string, unknown>[];
      if (endpoint.auth) expect(security, endpoint.path).toContainEqual({ [apiKey![0]]: [] });
      else expect(security, endpoint.path).toEqual([]);
    }
  });
});

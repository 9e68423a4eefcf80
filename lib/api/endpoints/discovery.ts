// /v1 endpoints that need no key: the API's own description.
import { z } from "zod";
import { define } from "./define";

export const discoveryEndpoints = {
  openapi: define({
    method: "GET",
    path: "/v1/openapi.json",
    tag: "Discovery",
    summary: "This OpenAPI 3.1 document",
    auth: false,
    response: z.object({}).loose(),
  }),
};

import type { Endpoint } from "../route";

/** Keeps an endpoint's literal types (method, schemas) while checking it is an Endpoint. */
export const define = <E extends Endpoint>(endpoint: E) => endpoint;

// Paths whose percent-encoding is not UTF-8 (`%ff`, a truncated `%E0%A4%A`, a lone `%`) against
// the built app: Next.js fails to decode such route params before any handler runs and answers
// a bare plain-text 500. The API must answer the contract's 400 envelope with a request id and
// pages their ordinary "not found / not valid" page, also when nobody is signed in.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `confident_encoding_${process.pid}`;
let server: RunningServer;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${DB}`;
  server = await startServer("start", {
    NODE_ENV: "production",
    DATABASE_URL: url.toString(),
    AUTH_SECRET: "encoding-test-secret-at-least-32-characters",
  });
});

afterAll(async () => {
  await server?.stop();
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
});

const BAD = ["%ff%fe", "%ff", "%E0%A4%A", "abc%", "%c0%af"];

describe("badly percent-encoded paths", () => {
  it("answer 400 in the API envelope with x-request-id, for every method and without a key", async () => {
    const paths = [
      ...BAD.map((b) => `/v1/organization/members/${b}`),
      `/v1/organization/invitations/%ff`,
      `/v1/%ff`,
      `/v1/organization/%ff/x`,
    ];
    for (const path of paths) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const res = await fetch(server.url + path, { method, headers: { "content-type": "application/json" } });
        const label = `${method} ${path}`;
        expect(res.status, label).toBe(400);
        expect(res.headers.get("content-type"), label).toMatch(/^application\/json/);
        expect(res.headers.get("x-request-id"), label).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
        const body = await res.json();
        expect(body, label).toMatchObject({ success: false, deprecated: false });
        expect(["bad_request", "validation_failed"], label).toContain(body.code);
        expect(typeof body.error, label).toBe("string");
      }
    }
  });

  it("keeps a caller's own x-request-id on that 400", async () => {
    const res = await fetch(`${server.url}/v1/organization/members/%ff`, { headers: { "x-request-id": "trace-1234567890" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-request-id")).toBe("trace-1234567890");
    // Answered by proxy.ts, yet with next.config.mjs's headers like every other response.
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("show the invitation page's 'no longer valid' state for a badly encoded token", async () => {
    for (const b of BAD) {
      const res = await fetch(`${server.url}/invite/${b}`);
      expect([200, 404], b).toContain(res.status);
      expect(await res.text(), b).toContain("This invitation is no longer valid");
    }
  });

  it("never answer 500 elsewhere either", async () => {
    for (const path of ["/api/auth/%ff", "/dev/emails/%ff", "/settings/%ff", "/%ff", "/sign-in?callbackUrl=%ff"]) {
      const res = await fetch(server.url + path, { redirect: "manual" });
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it("leave well-formed encodings alone", async () => {
    // A valid escape reaches the route as usual: here the route's own 401 for a missing key.
    const member = await fetch(`${server.url}/v1/organization/members/%41%C3%A9`, { method: "DELETE" });
    expect(member.status).toBe(401);
    expect((await member.json()).code).toBe("unauthorized");
    const invite = await fetch(`${server.url}/invite/abc%2Fdef`);
    expect(await invite.text()).toContain("This invitation is no longer valid");
  });
});

// A loopback stand-in for Resend's API, for tests that send through the real SDK. It records
// every call, honours Idempotency-Key the way Resend does (a repeated key gets the original
// answer and sends nothing new), and can play a failing or slow provider.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivered {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/**
 * status: answer with that error. hangMs: accept nothing and answer too late.
 * acceptThenHangMs: deliver (and remember the idempotency key), then answer too late — the
 * lost-response case that only idempotency keys make safe to retry.
 */
export type Fault = { status: number; body?: unknown } | { hangMs: number } | { acceptThenHangMs: number };

export interface FakeResend {
  baseUrl: string;
  /** Messages accepted, in order; one entry per message (batch members included). */
  delivered: Delivered[];
  /** Every request received: path, idempotency key, and what was answered. */
  requests: { path: string; idempotencyKey: string | null; status: number; size: number }[];
  /** Queue faults for the next requests, in order. */
  failNext(...faults: Fault[]): void;
  close(): Promise<void>;
}

export async function startFakeResend(): Promise<FakeResend> {
  const delivered: Delivered[] = [];
  const requests: FakeResend["requests"] = [];
  const faults: Fault[] = [];
  const answers = new Map<string, { status: number; body: unknown }>();
  let counter = 0;

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", async () => {
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(raw || "null");
      } catch {
        // recorded as a one-message request
      }
      // Recorded on arrival (status 0 until answered), so slow answers keep their place.
      const entry = { path: req.url ?? "", idempotencyKey: key, status: 0, size: Array.isArray(parsed) ? parsed.length : 1 };
      requests.push(entry);
      const reply = (status: number, body: unknown) => {
        entry.status = status;
        if (!res.destroyed) res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (req.method !== "POST" || !["/emails", "/emails/batch"].includes(req.url ?? "")) {
        return reply(404, { name: "not_found", message: "Not found", statusCode: 404 });
      }
      if (!req.headers.authorization?.startsWith("Bearer re_")) {
        return reply(401, { name: "missing_api_key", message: "Missing API key", statusCode: 401 });
      }
      const fault = faults.shift();
      const lateAfterAccept = fault && "acceptThenHangMs" in fault ? fault.acceptThenHangMs : 0;
      if (fault && "hangMs" in fault) {
        // Accepts nothing; the client gives up first.
        await new Promise((r) => setTimeout(r, fault.hangMs));
        return reply(504, { name: "timeout", message: "late", statusCode: 504 });
      }
      if (fault && "status" in fault) {
        return reply(fault.status, fault.body ?? { name: "error", message: `fault ${fault.status}`, statusCode: fault.status });
      }

      const previous = key ? answers.get(`${req.url}:${key}`) : undefined;
      if (previous) return reply(previous.status, previous.body);

      const payload = parsed as any;
      const messages: Omit<Delivered, "id" | "idempotencyKey">[] = req.url === "/emails/batch" ? payload : [payload];
      const ids = messages.map((m) => {
        const id = `fake_${++counter}`;
        delivered.push({ id, idempotencyKey: key, from: m.from, to: [m.to].flat(), subject: m.subject, html: m.html, text: m.text });
        return { id };
      });
      const body = req.url === "/emails/batch" ? { data: ids } : ids[0];
      if (key) answers.set(`${req.url}:${key}`, { status: 200, body });
      if (lateAfterAccept) await new Promise((r) => setTimeout(r, lateAfterAccept));
      reply(200, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    delivered,
    requests,
    failNext: (...f) => faults.push(...f),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

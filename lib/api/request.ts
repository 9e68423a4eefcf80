// Reading what a request carries: its id, its API key, its JSON body (with the contract's
// 400/413/415 rules) and zod validation with messages that name the field.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

/** `CONFIDENT_API_KEY: <key>` (Confident's header), or `Authorization: Bearer <key>` for proxies that drop underscores. */
export function apiKeyOf(request: Request): string | null {
  const direct = request.headers.get("confident_api_key")?.trim();
  if (direct) return direct;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

function isJsonContentType(value: string | null) {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

const tooLarge = () => new AppError("payload_too_large", `Request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);

async function readText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The parsed JSON body; an empty body reads as `{}` (the SDKs send none on some calls). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readText(request);
  if (text.trim() === "") return {};
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Request body must be JSON (Content-Type: application/json)");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_json", `Malformed JSON body: ${(error as Error).message}`);
  }
}

function describeIssue(issue: z.core.$ZodIssue, where: string): string {
  const path = issue.path.map(String).join(".");
  if (!path) {
    return issue.code === "invalid_type" ? `The ${where} must be a JSON object` : issue.message;
  }
  const field = path.split(".")[0]!;
  return issue.message.startsWith(field) ? issue.message : `${path}: ${issue.message}`;
}

const MAX_DEPTH = 32;

/**
 * Checks what zod cannot see cheaply: nesting depth (a deeply nested body must not exhaust the
 * stack) and NUL characters (PostgreSQL text cannot hold them). Iterative on purpose.
 */
function checkShape(value: unknown, where: string) {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      if (item.value.includes("\u0000")) {
        throw new AppError("validation_failed", `${item.path || "value"}: must not contain NUL characters`);
      }
    } else if (item.value && typeof item.value === "object") {
      if (item.depth >= MAX_DEPTH) {
        throw new AppError("validation_failed", `The ${where} is nested too deeply (at most ${MAX_DEPTH} levels)`);
      }
      for (const [key, child] of Object.entries(item.value)) {
        stack.push({ value: child, path: item.path ? `${item.path}.${key}` : key, depth: item.depth + 1 });
      }
    }
  }
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: "body" | "query" | "path"): z.output<T> {
  checkShape(value, where === "body" ? "request body" : where);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = [...new Set(result.error.issues.map((issue) => describeIssue(issue, where === "body" ? "request body" : where)))];
  throw new AppError("validation_failed", messages.join("; "));
}

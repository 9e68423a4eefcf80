// One error type for everything a caller can be told, with a machine code and a single table
// from code to HTTP status. Anything that is not an AppError is a bug and becomes a 500.
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryAfterSeconds?: number; allow?: string[] } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

export const badRequest = (message: string) => new AppError("validation_failed", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const notFound = (message: string) => new AppError("not_found", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const unprocessable = (message: string) => new AppError("unprocessable", message);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError("rate_limited", message, { retryAfterSeconds });

/**
 * Maps errors raised by the database layer: unique violations are conflicts, a missing row is
 * a 404, and an unreachable server is a 503 (the request changed nothing). Returns undefined
 * for anything else.
 */
export function fromDatabaseError(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (code === "P2002") return conflict("A record with these values already exists");
  if (code === "P2025") return notFound("Not found");
  // A foreign key still pointing at the row: it is in use.
  if (code === "P2003") return conflict("This record is still in use and cannot be changed or deleted");
  // Invalid text for PostgreSQL (e.g. a NUL character) is the caller's input, not our failure.
  if (/\b22021\b|invalid byte sequence for encoding/.test(error.message)) {
    return badRequest("A text value contains characters the database cannot store");
  }
  const text = `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? "")}`;
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P01|57P03|Connection terminated|timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|Server has closed the connection|Unable to start a transaction|connection is closed|is not queryable/i.test(
      text,
    )
  ) {
    return new AppError("unavailable", "The database is unavailable; nothing was changed. Please retry shortly.");
  }
  return undefined;
}

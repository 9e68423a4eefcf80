import { describe, expect, it } from "vitest";
import { ERROR_STATUS, fromDatabaseError } from "@/lib/errors";

describe("database errors", () => {
  it("maps a lost or refused connection to 503 (the request changed nothing)", () => {
    for (const message of [
      "Client has encountered a connection error and is not queryable",
      "Client was closed and is not queryable",
      "connect ECONNREFUSED 127.0.0.1:5432",
      "Connection terminated unexpectedly",
      "timeout exceeded when trying to connect",
      "terminating connection due to administrator command (57P01)",
    ]) {
      expect(fromDatabaseError(new Error(message))?.code, message).toBe("unavailable");
    }
    expect(ERROR_STATUS.unavailable).toBe(503);
  });

  it("maps unique and foreign-key violations to 409 and a missing row to 404", () => {
    const withCode = (code: string) => Object.assign(new Error("x"), { code });
    expect(fromDatabaseError(withCode("P2002"))?.status).toBe(409);
    expect(fromDatabaseError(withCode("P2003"))?.status).toBe(409);
    expect(fromDatabaseError(withCode("P2025"))?.status).toBe(404);
  });

  it("leaves anything else to the generic 500", () => {
    expect(fromDatabaseError(new Error('relation "x" does not exist'))).toBeUndefined();
    expect(fromDatabaseError("not an error")).toBeUndefined();
  });
});

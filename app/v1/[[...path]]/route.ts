// Any /v1 path no route handles: 404 in the contract's envelope, whatever the method.
import { errorRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";

const unknown = errorRoute(() => new AppError("not_found", "Unknown API route"));

export const GET = unknown;
export const POST = unknown;
export const PUT = unknown;
export const PATCH = unknown;
export const DELETE = unknown;

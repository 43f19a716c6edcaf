import { AppError, isAppError } from "../../core/errors.js";

/** Prisma's "unique constraint failed" code. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  // Model queries say P2002; raw statements (the submission path) carry the driver's kind.
  return code === "P2002" || (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}

/**
 * Turns storage failures into AppError UNAVAILABLE so every adapter can say "could not
 * save, your input is kept" without knowing about Prisma. AppErrors pass through.
 */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("UNAVAILABLE", "The database did not answer; nothing was changed. Please try again in a minute.", {}, error);
  }
}

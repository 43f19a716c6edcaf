import { AppError, isAppError } from "../../core/errors.js";
import { driverErrorKind } from "../connection.js";

/** "Unique constraint failed": Prisma's P2002 for model queries, the driver's kind for statements. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return (error as { code?: unknown }).code === "P2002" || driverErrorKind(error) === "UniqueConstraintViolation";
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

import { AppError, isAppError } from "../../core/errors.js";

/** Prisma's "unique constraint failed" code. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
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

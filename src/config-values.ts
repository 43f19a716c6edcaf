import { z } from "zod";
import { isIdentityKey } from "./core/people/identity.js";

// The shapes of configuration values (config.ts): each refuses a bad value with words
// that name what is expected, and the variable is named by loadConfig.

export const optional = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** `a, b,c` → ["a", "b", "c"]; unset or empty → []. */
export const commaList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const identityList = commaList.refine((items) => items.every(isIdentityKey), {
  message: "each entry must look like slack:U0123ABCD or teams:<AAD object id>",
});

/**
 * A whole number from `min` to `max` (no more digits than `max` has, so "0002" is refused),
 * `fallback` when unset; `expected` says what was wanted.
 */
export const wholeNumber = (fallback: number, min: number, max: number, expected: string) => {
  const shape = new RegExp(`^\\d{1,${String(max).length}}$`);
  return z
    .string()
    .default(String(fallback))
    .refine((value) => shape.test(value.trim()) && Number(value) >= min && Number(value) <= max, { message: `must be ${expected}` })
    .transform(Number);
};

/** A service level: a whole number of working days, 1 to 60. */
export const workingDays = (fallback: number) => wholeNumber(fallback, 1, 60, "a whole number of working days from 1 to 60");

/** A per-person rate limit: a whole number from 1 to 100,000. */
export const perPersonLimit = (fallback: number) => wholeNumber(fallback, 1, 100_000, "a whole number from 1 to 100000");

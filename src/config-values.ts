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

/** A service level: a whole number of working days, 1 to 60. */
export const workingDays = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((value) => /^\d{1,2}$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 60, {
      message: "must be a whole number of working days from 1 to 60",
    })
    .transform(Number);

/** A per-person rate limit: a whole number from 1 to 100,000. */
export const perPersonLimit = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((value) => /^\d{1,6}$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 100_000, {
      message: "must be a whole number from 1 to 100000",
    })
    .transform(Number);

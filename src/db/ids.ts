import { v7 as uuidv7 } from "uuid";

/**
 * The one id scheme: UUID v7, time-ordered and monotonic within the process, the same as
 * the schema's `@default(uuid(7))` for rows Prisma's client creates. History and the outbox
 * break ties on id, so an id must sort after every id made before it.
 */
export const newRowId = (): string => uuidv7();

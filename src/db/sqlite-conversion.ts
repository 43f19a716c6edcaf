/**
 * Values in and out of better-sqlite3 exactly as @prisma/adapter-better-sqlite3 7.10.0 maps
 * them (its src/conversion.ts and src/errors.ts, Apache-2.0, copied with types added: the
 * package exports none of them). test/db/sqlite-adapter.test.ts runs the same statements
 * through both adapters and fails when Prisma's mapping moves away from this copy.
 */
import { type ArgType, type ColumnType, ColumnTypeEnum, type MappedError } from "@prisma/driver-adapter-utils";

export type TimestampFormat = "iso8601" | "unixepoch-ms";

/** A column's declared type, as SQLite reports it, to Prisma's column type; null if unknown. */
function mapDeclType(declType: string | null): ColumnType | null {
  if (declType === null) return null;
  switch (declType.toUpperCase()) {
    case "":
      return null;
    case "DECIMAL":
      return ColumnTypeEnum.Numeric;
    case "FLOAT":
      return ColumnTypeEnum.Float;
    case "DOUBLE":
    case "DOUBLE PRECISION":
    case "NUMERIC":
    case "REAL":
      return ColumnTypeEnum.Double;
    case "TINYINT":
    case "SMALLINT":
    case "MEDIUMINT":
    case "INT":
    case "INTEGER":
    case "SERIAL":
    case "INT2":
      return ColumnTypeEnum.Int32;
    case "BIGINT":
    case "UNSIGNED BIG INT":
    case "INT8":
      return ColumnTypeEnum.Int64;
    case "DATETIME":
    case "TIMESTAMP":
      return ColumnTypeEnum.DateTime;
    case "TIME":
      return ColumnTypeEnum.Time;
    case "DATE":
      return ColumnTypeEnum.Date;
    case "TEXT":
    case "CLOB":
    case "CHARACTER":
    case "VARCHAR":
    case "VARYING CHARACTER":
    case "NCHAR":
    case "NATIVE CHARACTER":
    case "NVARCHAR":
      return ColumnTypeEnum.Text;
    case "BLOB":
      return ColumnTypeEnum.Bytes;
    case "BOOLEAN":
      return ColumnTypeEnum.Boolean;
    case "JSONB":
      return ColumnTypeEnum.Json;
    default:
      return null;
  }
}

/** Column types from the declared types; an undeclared column (an expression) from its first non-null value. */
export function getColumnTypes(declaredTypes: Array<string | null>, rows: unknown[][]): ColumnType[] {
  const columnTypes: ColumnType[] = [];
  declaredTypes.forEach((declared, index) => {
    const mapped = mapDeclType(declared);
    if (mapped !== null) {
      columnTypes[index] = mapped;
      return;
    }
    const candidate = rows.find((row) => row[index] !== null)?.[index];
    columnTypes[index] = candidate === undefined ? ColumnTypeEnum.Int32 : inferColumnType(candidate);
  });
  return columnTypes;
}

function inferColumnType(value: unknown): ColumnType {
  switch (typeof value) {
    case "string":
      return ColumnTypeEnum.Text;
    case "bigint":
      return ColumnTypeEnum.Int64;
    case "boolean":
      return ColumnTypeEnum.Boolean;
    case "number":
      return ColumnTypeEnum.UnknownNumber;
    case "object":
      if (value instanceof ArrayBuffer) return ColumnTypeEnum.Bytes;
  }
  const repr = typeof value === "object" ? JSON.stringify(value) : String(value);
  const error = new Error(`unexpected value of type ${typeof value}: ${repr}`);
  error.name = "UnexpectedTypeError";
  throw error;
}

export function mapRow(row: unknown[], columnTypes: ColumnType[]): unknown[] {
  const result: unknown[] = [];
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    const type = columnTypes[i];
    if (typeof value === "number" && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) {
      result[i] = Math.trunc(value);
    } else if ((typeof value === "number" || typeof value === "bigint") && type === ColumnTypeEnum.DateTime) {
      result[i] = new Date(Number(value)).toISOString();
    } else if (typeof value === "bigint") {
      const asNumber = Number(value);
      result[i] = Number.isSafeInteger(asNumber) ? asNumber : value.toString();
    } else {
      result[i] = value;
    }
  }
  return result;
}

export function mapArg(arg: unknown, argType: ArgType, timestampFormat: TimestampFormat = "iso8601"): unknown {
  if (arg === null) return null;
  // biome-ignore lint/correctness/useParseIntRadix: as Prisma's adapter, which reads "0x10" as 16
  if (typeof arg === "string" && argType.scalarType === "int") return Number.parseInt(arg);
  if (typeof arg === "string" && (argType.scalarType === "float" || argType.scalarType === "decimal")) return Number.parseFloat(arg);
  if (typeof arg === "string" && argType.scalarType === "bigint") return BigInt(arg);
  if (typeof arg === "boolean") return arg ? 1 : 0;
  const instant = typeof arg === "string" && argType.scalarType === "datetime" ? new Date(arg) : arg;
  if (instant instanceof Date) {
    switch (timestampFormat) {
      case "unixepoch-ms":
        return instant.getTime();
      case "iso8601":
        return instant.toISOString().replace("Z", "+00:00");
      default:
        throw new Error(`Unknown timestamp format: ${timestampFormat}`);
    }
  }
  if (typeof arg === "string" && argType.scalarType === "bytes") return Buffer.from(arg, "base64");
  return arg;
}

const SQLITE_BUSY = 5;
const PRIMARY_ERROR_CODE_MASK = 255;
const UNKNOWN_ERROR_CODE_PREFIX = "UNKNOWN_SQLITE_ERROR_";

/** A better-sqlite3 error as Prisma's client reads it (P2002 etc.); anything else is rethrown as is. */
export function convertDriverError(error: unknown): MappedError & { originalCode: string; originalMessage: string } {
  const driver = error as { code?: unknown; message?: unknown };
  if (typeof driver?.code !== "string" || typeof driver.message !== "string") throw error;
  const { code, message } = driver as { code: string; message: string };
  return { originalCode: code, originalMessage: message, ...mapDriverError(code, message) };
}

function mapDriverError(code: string, message: string): MappedError {
  switch (code) {
    case "SQLITE_CONSTRAINT_UNIQUE":
    case "SQLITE_CONSTRAINT_PRIMARYKEY": {
      const columns = message.split("constraint failed: ").at(1)?.split(", ");
      const fields = columns?.map((field) => field.split(".").pop() as string);
      const table = columns?.at(0)?.split(".").slice(0, -1).join(".") || undefined;
      return { kind: "UniqueConstraintViolation", constraint: fields !== undefined ? { fields } : undefined, table };
    }
    case "SQLITE_CONSTRAINT_NOTNULL": {
      const fields = message
        .split("constraint failed: ")
        .at(1)
        ?.split(", ")
        .map((field) => field.split(".").pop() as string);
      return { kind: "NullConstraintViolation", constraint: fields !== undefined ? { fields } : undefined };
    }
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
    case "SQLITE_CONSTRAINT_TRIGGER":
      return { kind: "ForeignKeyConstraintViolation", constraint: { foreignKey: {} } };
  }
  const extendedCode = extendedCodeFromName(code);
  if (code.startsWith("SQLITE_BUSY") || (extendedCode !== undefined && (extendedCode & PRIMARY_ERROR_CODE_MASK) === SQLITE_BUSY)) {
    return { kind: "SocketTimeout" };
  }
  if (message.startsWith("no such table")) return { kind: "TableDoesNotExist", table: message.split(": ").at(1) };
  if (message.startsWith("no such column")) return { kind: "ColumnNotFound", column: message.split(": ").at(1) };
  if (message.includes("has no column named ")) return { kind: "ColumnNotFound", column: message.split("has no column named ").at(1) };
  // The generic code when the driver gives none, as Prisma's adapter does.
  return { kind: "sqlite", extendedCode: extendedCode ?? 1, message };
}

function extendedCodeFromName(code: string): number | undefined {
  if (!code.startsWith(UNKNOWN_ERROR_CODE_PREFIX)) return undefined;
  const extendedCode = Number(code.slice(UNKNOWN_ERROR_CODE_PREFIX.length));
  return Number.isInteger(extendedCode) ? extendedCode : undefined;
}

/** Mission Assistance request ids: `MA-<year>-<4+ digits>`, counting from 0001 each year. */

export function formatRequestNumber(year: number, seq: number): string {
  return `MA-${year}-${String(seq).padStart(4, "0")}`;
}

/** Accepts `ma-2026-7`, `MA 2026 0007`, `MA-2026-0007`; returns the canonical form or undefined. */
export function parseRequestNumber(input: string): string | undefined {
  const match = /^MA[\s-]*(\d{4})[\s-]*(\d{1,9})$/i.exec(input.trim());
  if (!match) return undefined;
  const seq = Number(match[2]);
  if (seq === 0) return undefined;
  return formatRequestNumber(Number(match[1]), seq);
}

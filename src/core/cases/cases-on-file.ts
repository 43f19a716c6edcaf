import type { CoreDeps } from "../deps.js";
import type { MaRequest } from "../model.js";

/**
 * A request's related case ids that are well formed but not on file (not imported yet, or
 * mistyped). For faculty only: the requester's id is accepted as typed, since refusing it
 * would tell a requester which cases exist.
 */
export async function relatedCasesNotOnFile(deps: Pick<CoreDeps, "cases">, request: MaRequest): Promise<string[]> {
  const ids = request.form.relatedCases;
  if (ids.length === 0) return [];
  const onFile = await deps.cases.onFile(ids);
  return ids.filter((caseId) => !onFile.has(caseId));
}

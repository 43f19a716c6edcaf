import type { Actor, MaRequest, PersonRef } from "../model.js";

/** Who is told of a change: the requester, the lead and the followers, never the actor, each once. */
export function peopleToTell(request: MaRequest, actor: Pick<Actor, "id">): PersonRef[] {
  return [request.requester, ...(request.lead ? [request.lead] : []), ...(request.followers ?? [])].filter(
    (person, index, all) => person.id !== actor.id && all.findIndex((other) => other.id === person.id) === index,
  );
}

import type { RequestHandler } from "express";

/**
 * Local mode (no credentials, for the Agents Playground): botbuilder would accept
 * anyone's activities, so only this machine may talk to the bot. The socket's own address
 * decides, and a request that came through a proxy on this machine (it carries
 * Forwarded, X-Forwarded-* or Via) is refused: a same-host nginx or tunnel connects from
 * 127.0.0.1 on behalf of the whole internet.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return plain === "::1" || /^127(\.\d{1,3}){3}$/.test(plain);
}

function cameThroughProxy(headers: Record<string, unknown>): boolean {
  return Object.keys(headers).some((name) => name === "forwarded" || name === "via" || name.startsWith("x-forwarded-"));
}

export function loopbackOnly(): RequestHandler {
  return (req, res, next) => {
    if (isLoopbackAddress(req.socket.remoteAddress) && !cameThroughProxy(req.headers)) {
      next();
      return;
    }
    res.status(401).json({ error: "unauthorized" });
  };
}

import type { RequestHandler } from "express";

/**
 * botbuilder turns authentication off when no app id is configured and then accepts
 * anyone's activities. Without credentials, only this machine may talk to the bot (the
 * Agents Playground, tests). The socket's own address decides: X-Forwarded-For is
 * written by the caller and proves nothing.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return plain === "::1" || /^127(\.\d{1,3}){3}$/.test(plain);
}

export function loopbackOnly(): RequestHandler {
  return (req, res, next) => {
    if (isLoopbackAddress(req.socket.remoteAddress)) {
      next();
      return;
    }
    res.status(401).json({ error: "unauthorized" });
  };
}

import type { IncomingMessage } from "node:http";

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

/** `localhost`, `127.0.0.1` or `[::1]`, with an optional port: the only names this machine answers to in local mode. */
const LOCAL_AUTHORITY = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i;

/**
 * A Host (`localhost:3978`) or Origin (`http://localhost:3978`) that names this machine on
 * the port the connection came in on. A DNS-rebinding page reaches 127.0.0.1 under its
 * own name (Host: evil.example:3978), and a page of another local server carries its own
 * origin; neither is this server.
 */
export function namesThisServer(value: string, port: number | undefined, kind: "host" | "origin"): boolean {
  const authority = kind === "origin" ? (value.startsWith("http://") ? value.slice("http://".length) : undefined) : value;
  const match = authority === undefined ? null : LOCAL_AUTHORITY.exec(authority);
  if (!match || port === undefined) return false;
  return Number(match[1] ?? 80) === port;
}

/**
 * This machine only: a loopback peer that did not come through a proxy, calling us by a
 * local name on our own port, from no web page but one of ours. A plain TCP forwarder
 * (ssh -R, socat) connects from loopback and adds no header, so the address check alone
 * passes it; the Host check stops whatever was addressed to another name, and binding to
 * 127.0.0.1 (src/app.ts) keeps the port off the network in the first place. Answers the
 * status to refuse `req` with (401: not this machine, 403: not addressed to this server),
 * or undefined.
 */
export function loopbackRefusal(req: IncomingMessage): 401 | 403 | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress) || cameThroughProxy(req.headers)) return 401;
  const port = req.socket.localPort;
  const origin = req.headers.origin;
  if (!namesThisServer(req.headers.host ?? "", port, "host") || (origin !== undefined && !namesThisServer(origin, port, "origin"))) {
    return 403;
  }
  return undefined;
}

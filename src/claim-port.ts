import { createServer, type RequestListener, type Server } from "node:http";

export interface ClaimedPort {
  server: Server;
  /** Hands requests to the routes from now on. */
  serve(handler: RequestListener): void;
  /** Gives the port back (the start failed after it was claimed). */
  release(): Promise<void>;
}

/**
 * Listens on the port before anything else starts, or fails with the listen error (a
 * taken port), so a taken port stops the start before migrations and demo data touch the
 * database. Until the routes are ready, callers are told to come back.
 */
export function claimPort(port: number, host: string): Promise<ClaimedPort> {
  let handle: RequestListener = (_request, response) => {
    response.writeHead(503, { "retry-after": "1", "content-type": "application/json" });
    response.end('{"status":"starting"}');
  };
  const server = createServer((request, response) => handle(request, response));
  return new Promise<ClaimedPort>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        server,
        serve: (handler) => {
          handle = handler;
        },
        release: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

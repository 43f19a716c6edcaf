import type { Server } from "node:http";
import type { Express } from "express";

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Serves an Express app on a free loopback port; `path` is appended to the URL. */
export async function listenOnLoopback(app: Express, path: string): Promise<LoopbackServer> {
  const listening = await new Promise<Server>((resolve) => {
    const started = app.listen(0, "127.0.0.1", () => resolve(started));
  });
  const address = listening.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}${path}`, close: () => new Promise((resolve) => listening.close(() => resolve())) };
}

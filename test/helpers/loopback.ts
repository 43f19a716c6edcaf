import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Loopback HTTP servers for a test file: each answers a request once its body has arrived. */
export function loopbacks() {
  const open: Server[] = [];
  return {
    /** A new server calling `answer` for each request; its address, ending in "/". */
    async listen(answer: (response: ServerResponse) => void): Promise<string> {
      const server = createServer((request, response) => {
        request.resume();
        request.on("end", () => answer(response));
      });
      open.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    },
    /** Closes every server and its connections (after each test). */
    async closeAll(): Promise<void> {
      for (const server of open.splice(0)) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

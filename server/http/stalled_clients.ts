import type { Server } from "node:http";

/**
 * Cuts off a client that has sent and read nothing for `ms`. Imports and exports run without a
 * statement timeout and hold a database connection while they stream; a client that stops sending its
 * file, or stops reading its download, would otherwise hold that connection for good. Cutting the
 * socket ends the request: the import rolls back, the export's query stops, the connection returns.
 * Live-update streams stay open: their heartbeat is activity.
 */
export function cutStalledClients(server: Server, ms: number): Server {
  server.setTimeout(ms, (socket) => socket.destroy());
  return server;
}

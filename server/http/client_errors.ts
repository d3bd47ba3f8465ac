import type { Server } from "node:http";

/**
 * Requests Node refuses before Express sees them (a request line or headers over 16 KB, a malformed
 * request) still get a problem+json answer, like every other refusal, instead of a bare status line.
 */
export function answerClientErrors(server: Server): Server {
  return server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const [status, reason, detail] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "the URL and headers are limited to 16 KB; send long input in a request body"]
        : [400, "Bad Request", "the request is not valid HTTP"];
    const body = JSON.stringify({ type: `/problems/${status === 431 ? "too-large" : "bad-request"}`, title: reason, status, detail });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

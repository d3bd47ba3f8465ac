import http from "node:http";

/** A request exactly as written: the path is sent byte for byte, the body as given. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The local address to send from (any 127.x.y.z on Linux): the client address the server sees. */
  from?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text, or `undefined` for a binary one (tiles, zip, GeoPackage) or an endless stream. */
  text?: string;
}

const TEXTUAL = /^(application\/(problem\+json|json|geo\+json|vnd\.oai\.openapi\+json|schema\+json|vnd\.google-earth\.kml\+xml)|text\/)/;

/**
 * Send one request with node:http (fetch would normalise the URL and refuse some bodies); reject when no
 * complete answer comes within `timeoutMs`. A server-sent-event stream is cut as soon as its headers arrive.
 */
export function rawRequest(base: string, r: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: r.method, path: r.path, headers: r.headers, localAddress: r.from, agent: false }, (res) => {
      const type = String(res.headers["content-type"] ?? "");
      if (type.startsWith("text/event-stream")) {
        res.destroy();
        return resolve({ status: res.statusCode!, headers: res.headers });
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, text: TEXTUAL.test(type) ? Buffer.concat(chunks).toString("utf8") : undefined }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // the server may answer (413, 400) and close before it has read a large body: the answer still counts
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    req.end(r.body);
  });
}

import type { Request } from "express";

/** IPv4-mapped IPv6 as plain IPv4; other IPv6 in brackets, as a URL writes it. */
function urlHost(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * Where absolute links point: the configured PUBLIC_URL, else this server's own listening address
 * (the connection's local end, which the server chose). Never the request's Host or X-Forwarded-*
 * headers: a client setting them would make the product hand out links to another host, which GDAL
 * and QGIS then follow with the user's credentials.
 */
export function publicUrlOf(configured: string | undefined) {
  return (req: Request): string => configured ?? `http://${urlHost(req.socket.localAddress ?? "127.0.0.1")}:${req.socket.localPort}`;
}

export type PublicUrl = ReturnType<typeof publicUrlOf>;

import type { Request, Response } from "express";

export const SESSION_COOKIE = "hazmap_session";

/** The session token the browser sent, if any. */
export function sessionToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=");
  }
  return undefined;
}

/** httpOnly (scripts cannot read it), SameSite=Strict (other sites' pages never send it), Secure over https. */
export function setSessionCookie(res: Response, req: Request, token: string, maxAgeSeconds: number) {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAgeSeconds}`, ...(req.secure ? ["Secure"] : [])];
  res.append("Set-Cookie", `${SESSION_COOKIE}=${token}; ${attributes.join("; ")}`);
}

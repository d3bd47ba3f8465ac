import type { Request, Response } from "express";

export const SESSION_COOKIE = "hazmap_session";

/** The value of the cookie `named` the browser sent, if any. */
export function cookieValue(req: Request, named: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === named) return value.join("=");
  }
  return undefined;
}

/** The session token the browser sent, if any. */
export const sessionToken = (req: Request): string | undefined => cookieValue(req, SESSION_COOKIE);

/** httpOnly (scripts cannot read it), SameSite=Strict (other sites' pages never send it), Secure over https. */
export function setSessionCookie(res: Response, req: Request, token: string, maxAgeSeconds: number) {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAgeSeconds}`, ...(req.secure ? ["Secure"] : [])];
  res.append("Set-Cookie", `${SESSION_COOKIE}=${token}; ${attributes.join("; ")}`);
}

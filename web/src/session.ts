import type { Permission } from "../../server/auth/permissions.ts";
import type { SignedInUser } from "../../server/auth/routes.ts";
import { api, setCsrfToken } from "./api.ts";

/** The signed-in account as GET /api/v1/auth/me and POST /api/v1/auth/login give it. */
export type User = SignedInUser;

let user: User | undefined;

/** Who is signed in (by the httpOnly session cookie, which scripts cannot read); undefined when anonymous. */
export async function loadSession(): Promise<User | undefined> {
  // nobody signed in: user null (200, so the browser logs no error)
  const me = await api<{ user: User | null; csrf_token: string | null }>("/api/v1/auth/me");
  user = me.user ?? undefined;
  setCsrfToken(me.csrf_token ?? undefined);
  return user;
}

export const currentUser = () => user;
export const can = (permission: Permission) => user?.permissions.includes(permission) ?? false;

/** Signs in: the server sets the session cookie. The caller reloads the page to build what the roles allow. */
export async function signIn(username: string, password: string): Promise<void> {
  await api("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
}

export async function signOut(): Promise<void> {
  await api("/api/v1/auth/logout", { method: "POST" });
}

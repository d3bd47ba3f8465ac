import { hash, verify } from "@node-rs/argon2";

/** Argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export const hashPassword = (password: string) => hash(password);

// Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
const nobody = hash("no account has this password");

export async function passwordMatches(password: string, passwordHash: string | undefined): Promise<boolean> {
  if (passwordHash === undefined) {
    await verify(await nobody, password);
    return false;
  }
  return verify(passwordHash, password);
}

import { showError } from "../api.ts";
import { onLangChange, roleLabel } from "../i18n.ts";
import { signOut, type User } from "../session.ts";
import { el, text } from "./ui.ts";

/** The top bar's account: a sign-in button, or who is signed in with their roles and a sign-out button. */
export function accountBar(user: User | undefined, openSignIn: () => void) {
  const bar = document.querySelector<HTMLElement>("#account")!;
  if (!user) {
    bar.querySelector("#sign-in")!.addEventListener("click", openSignIn);
    return;
  }
  const who = el("span", { id: "account-name" });
  const out = text("signOut", "button", { type: "button", id: "sign-out" });
  out.addEventListener("click", () => void signOut().then(() => location.reload(), showError));
  const show = () => (who.textContent = `${user.display_name ?? user.username} · ${user.roles.map(roleLabel).join("、")}`);
  show();
  onLangChange(show);
  bar.replaceChildren(who, out);
}

import { api, showError } from "../api.ts";
import { formatTime, onLangChange, t } from "../i18n.ts";
import { currentUser } from "../session.ts";
import { el, text } from "./ui.ts";
import type { createToken, TokenInfo } from "../../../server/auth/tokens.ts";

/**
 * API tokens for scripts and GIS clients (Authorization: Bearer …): one's own listed (an admin's list
 * holds everyone's, marked with the owner's id), made by name, revoked. The server gives the secret
 * once, in the answer that makes it, so it is shown once, selected for copying.
 */
export function tokensPanel() {
  const section = document.querySelector<HTMLDetailsElement>("#tokens")!;
  section.hidden = false;
  const name = el("input", { id: "token-name", required: true, maxLength: 100, autocomplete: "off" });
  const form = el(
    "form",
    { id: "token-form" },
    el("label", {}, text("tokenName"), name),
    text("createToken", "button", { type: "submit", id: "token-create" }),
  );
  const secret = el("input", { id: "token-secret", readOnly: true, spellcheck: false });
  secret.setAttribute("aria-describedby", "token-once");
  const secretBox = el(
    "div",
    { id: "token-secret-box", hidden: true },
    text("tokenOnce", "p", { id: "token-once", className: "ok" }),
    secret,
    text("tokenUse", "p", { className: "hint" }),
  );
  const list = el("ul", { id: "token-list", tabIndex: -1 });
  section.querySelector(".body")!.replaceChildren(form, secretBox, list);

  let tokens: TokenInfo[] = [];
  const render = () => list.replaceChildren(...(tokens.length ? tokens.map(row) : [text("noTokens", "li", { className: "hint" })]));
  const refresh = async () => {
    tokens = (await api<{ tokens: TokenInfo[] }>("/api/v1/auth/tokens")).tokens;
    render();
  };
  const row = (k: TokenInfo) => {
    const owner = k.user_id === currentUser()?.id ? "" : ` · #${k.user_id}`;
    const li = el("li", {}, el("span", { textContent: `${k.name} · ${formatTime(k.created_at)}${owner}` }));
    if (k.revoked_at) {
      li.append(el("span", { className: "hint", textContent: t("revoked") }));
      return li;
    }
    const revoke = el("button", { type: "button", textContent: t("revoke"), ariaLabel: `${t("revoke")} ${k.name}` });
    revoke.addEventListener("click", async () => {
      try {
        await api(`/api/v1/auth/tokens/${k.id}`, { method: "DELETE" });
        secretBox.hidden = true;
        await refresh();
        list.focus(); // the button pressed is gone
      } catch (e) {
        showError(e);
      }
    });
    li.append(revoke);
    return li;
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const made = await api<Awaited<ReturnType<typeof createToken>>>("/api/v1/auth/tokens", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: name.value.trim() }),
      });
      secret.value = made.token;
      secretBox.hidden = false;
      name.value = "";
      await refresh();
      secret.focus();
      secret.select();
    } catch (err) {
      showError(err);
    }
  });
  onLangChange(render);
  void refresh().catch(showError);
}

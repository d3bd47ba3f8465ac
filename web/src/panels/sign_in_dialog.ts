import { signIn } from "../session.ts";

/**
 * The sign-in form, modal (the browser's <dialog>: focus stays inside, Escape closes it), opened by the
 * function returned. Enter submits; a refusal's detail is read out (role=alert) and the password
 * selected to type again; focus goes back to whatever opened it. After signing in the page reloads, so
 * that everything is built for the new roles.
 */
export function signInDialog(): () => void {
  const dialog = document.querySelector<HTMLDialogElement>("#sign-in-dialog")!;
  const form = dialog.querySelector<HTMLFormElement>("#sign-in-form")!;
  const username = form.querySelector<HTMLInputElement>("#sign-in-username")!;
  const password = form.querySelector<HTMLInputElement>("#sign-in-password")!;
  const error = form.querySelector<HTMLElement>("#sign-in-error")!;
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  let opener: HTMLElement | null = null;

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await signIn(username.value.trim(), password.value);
      location.reload();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      submit.disabled = false;
      password.focus();
      password.select();
    }
  });
  form.querySelector("#sign-in-cancel")!.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => opener?.focus());

  return () => {
    opener = document.activeElement as HTMLElement | null;
    error.textContent = "";
    password.value = "";
    dialog.showModal();
  };
}

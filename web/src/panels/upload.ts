import { csrfHeaders } from "../api.ts";
import { currentLang } from "../i18n.ts";

/** An answer's status and JSON body (a problem+json's too). */
export interface Answer<T> {
  status: number;
  body: T;
}

/**
 * POST a file as the raw body, saying how much of it has gone up and when all of it has:
 * XMLHttpRequest, as fetch reports no upload progress.
 */
export function upload<T>(url: string, file: Blob, progress: (sent: number, total: number) => void, sent: () => void): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept-Language", currentLang() === "zh" ? "zh-CN" : "en");
    xhr.upload.addEventListener("progress", (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.upload.addEventListener("load", sent);
    xhr.addEventListener("load", () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: `${xhr.status} ${xhr.statusText}` };
      }
      resolve({ status: xhr.status, body: body as T });
    });
    xhr.addEventListener("error", () => reject(new Error(`${url}: the connection failed`)));
    xhr.send(file);
  });
}

import type { Request } from "express";

/** The languages the API answers in: English unless the reader asks for Chinese. */
export type Language = "zh" | "en";

/**
 * The reader's language from Accept-Language (RFC 9110 §12.5.4): the first of zh (zh-CN, zh-Hans,
 * zh-TW …) and en by preference weight; English when the header is absent or names neither.
 */
export function languageOf(req: Request): Language {
  const ranges = (req.get("accept-language") ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim().match(/^q=([0-9.]+)$/)?.[1]).find((v) => v !== undefined);
      return { primary: tag.split("-")[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => (r.primary === "zh" || r.primary === "en") && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranges[0]?.primary === "zh" ? "zh" : "en";
}

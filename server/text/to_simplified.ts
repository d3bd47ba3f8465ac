import * as OpenCC from "opencc-js/t2cn";

/**
 * Text in Simplified Chinese, from Traditional as written in Taiwan (with its own words: 聯絡電話 →
 * 联系电话) or Hong Kong; Simplified text stays as it is. Used to match what clerks write (headers,
 * enum labels) against our Simplified vocabulary; stored values are never converted (a village naming its township is matched the same way).
 */
export const toSimplified: (text: string) => string = OpenCC.Converter({ from: "twp", to: "cn" });

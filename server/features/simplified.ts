import * as OpenCC from "opencc-js";

/** Text in Simplified Chinese: Traditional characters, and Taiwan's variants (臺), written as the mainland does. */
export const simplified: (text: string) => string = OpenCC.Converter({ from: "tw", to: "cn" });

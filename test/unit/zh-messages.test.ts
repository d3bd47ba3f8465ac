import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toChinese } from "../../server/http/zh_messages.ts";

/** Every fixed message the server's source writes for people: field messages, zod errors, refusal titles. */
function fixedMessages(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
    );
  const patterns = [
    /\b(?:message|error|rule):\s*"([^"]+)"/g,
    /\.(?:refine|regex)\([^"]*?,\s*"([^"]+)"\)/g,
    /new Problem\(\s*\d+,\s*"[^"]+",\s*"([^"]+)"/g,
    /(?:notFound|conflict|preconditionFailed|preconditionRequired|notSignedIn)\(\s*"([^"]+)"/g,
  ];
  for (const file of walk("server")) {
    const source = readFileSync(file, "utf8");
    for (const p of patterns) for (const m of source.matchAll(p)) found.add(m[1]!);
  }
  return found;
}

const HAN = /\p{Script=Han}/u;

describe("the server's messages in Chinese", () => {
  it("has a Chinese wording for every fixed message in the source", () => {
    const messages = [...fixedMessages()];
    expect(messages.length).toBeGreaterThan(60);
    const untranslated = messages.filter((m) => !HAN.test(toChinese(m)) || toChinese(m) === m);
    expect(untranslated).toEqual([]);
  });

  it("says zod's own messages (its English locale) in Chinese, values kept", () => {
    expect(toChinese("Invalid input: expected number, received string")).toBe("输入无效：应为数字，实际为文本");
    expect(toChinese("Too big: expected number to be <=4")).toBe("不得大于 4");
    expect(toChinese("Too small: expected string to have >=1 characters")).toBe("文本不得小于 1 个字符");
    expect(toChinese('Invalid option: expected one of "open"|"closed"')).toBe('无效选项：应为以下之一 "open"|"closed"');
    expect(toChinese('Unrecognized key: "colour"')).toBe('未知的属性："colour"');
    expect(toChinese("Invalid ISO date")).toBe("无效的日期（应为 YYYY-MM-DD）");
  });

  it("names layers by the nouns given and leaves what it does not know in English, whole", () => {
    expect(toChinese("shelters 12 does not exist", { shelters: "应急避难场所" })).toBe("应急避难场所 12 不存在");
    expect(toChinese("hazard 3 does not exist")).toBe("危险源 3 不存在");
    expect(toChinese("the moon is made of cheese")).toBe("the moon is made of cheese");
  });
});

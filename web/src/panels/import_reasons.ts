import { currentLang } from "../i18n.ts";

/**
 * The import's reasons for refusing a row, in Chinese when the server answered them in English (the
 * import's own messages and the layer schema's). A reason already in Chinese, or any other, is shown
 * as the server gave it.
 */
const ZH: [RegExp, (...groups: string[]) => string][] = [
  [/^is required$/, () => "必填，但为空"],
  [/^Invalid input: expected int, received number$/, () => "应为整数"],
  [/^Invalid input: expected (number|int), received (\w+)$/, () => "应为数字"],
  [/^Invalid input: expected boolean/, () => "应为 是/否"],
  [/^Invalid option: expected one of (.*)$/, (values) => `不是可选的值（${values.replaceAll("|", "、")}）`],
  [/^Too small: expected number to be >=?(\S+)$/, (min) => `不能小于 ${min}`],
  [/^Too big: expected number to be <=?(\S+)$/, (max) => `不能大于 ${max}`],
  [/^must be at most (\d+) characters$/, (n) => `不能超过 ${n} 个字符`],
  [/^must not be empty$/, () => "不能为空"],
  [/^bad coordinate: lon (.*), lat (.*) must both be numbers$/, (lon, lat) => `坐标无效：经度 ${lon}、纬度 ${lat} 须均为数字`],
  [/^no location/, () => "没有位置：请指定经度/纬度列或 WKT 列"],
  [/^invalid WKT: (.*)$/, (why) => `WKT 几何无效：${why}`],
  [/^longitude must be within/, () => "经度超出 -180～180：请检查坐标系"],
  [/^latitude must be within/, () => "纬度超出 -90～90：请检查坐标系"],
  [/^must be a (village|township) code/, () => "区划代码应为 6–12 位数字"],
  [/^no township is named (.*): add it/, (name) => `没有名为“${name}”的乡镇：请先添加该乡镇，或填写乡镇代码`],
  [/^duplicate (\S+) (.*): already on row (\d+) of this file$/, (_f, value, row) => `与本文件第 ${row} 行重复（${value}）`],
  [/^lies outside (.*)$/, (where) => `位于您可编辑的乡镇之外（${where}）`],
  [/^must not contain the NUL character$/, () => "含有不可保存的空字符"],
];

export function reasonText(message: string): string {
  if (currentLang() !== "zh") return message;
  for (const [pattern, zh] of ZH) {
    const m = pattern.exec(message);
    if (m) return zh(...m.slice(1));
  }
  return message;
}

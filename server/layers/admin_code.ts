/**
 * Administrative codes as real sheets hold them: 6 to 12 digits (the mainland's county 6, township 9,
 * village 12; Taiwan's MOI township 8, village 11). A 12-digit code is China's 统计用区划代码
 * (province 2, city 2, county 2, township 3, village 3) and must have its structure: a township's
 * code has a township part and village part 000 (110101001000), a village's has both parts
 * (110101001001). Written without look-arounds so a JSON Schema reader can use the pattern too.
 */
const PART = "(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})";

export const TOWNSHIP_CODE = new RegExp(`^(?:[0-9]{6,11}|[0-9]{6}${PART}000)$`);
export const VILLAGE_CODE = new RegExp(`^(?:[0-9]{6,11}|[0-9]{6}${PART}${PART})$`);

export const TOWNSHIP_CODE_RULE = "must be a township code of 6–12 digits (a 12-digit 统计用区划代码 ends in 000, e.g. 110101001000)";
export const VILLAGE_CODE_RULE = "must be a village code of 6–12 digits (a 12-digit 统计用区划代码 does not end in 000, e.g. 110101001001)";

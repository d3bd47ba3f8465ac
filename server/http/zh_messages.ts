/**
 * The API's words in Chinese. The server writes its problems in English (titles, details, each field's
 * message, zod's own messages included); a reader who asks for Chinese (Accept-Language) gets them
 * through this table: whole messages first, then patterns for the ones carrying values (a layer, an id,
 * a limit), applied to each part of a message joined with "; " or ": ". What no entry matches is left
 * in English, never half-translated.
 */

import { ITEMS } from "../../data/items.ts";

/** Things messages name, besides the layers (whose Chinese names the registry gives: see `nouns`). */
const NOUNS: Record<string, string> = {
  feature: "要素",
  hazard: "危险源",
  incident: "事件",
  depot: "储备库",
  token: "令牌",
  user: "用户",
  township: "乡镇",
  village: "村庄",
  shelter: "避难场所",
  team: "救援队伍",
  value: "值",
};

/** zod's names of what it expected or received. */
const TYPES: Record<string, string> = {
  string: "文本",
  number: "数字",
  int: "整数",
  boolean: "布尔值(true/false)",
  object: "对象",
  array: "列表",
  null: "空值",
  undefined: "空",
  date: "日期",
  bigint: "整数",
  nan: "NaN",
  NaN: "NaN",
  never: "无",
  Infinity: "无穷大",
  "-Infinity": "无穷小",
  tuple: "列表",
  unknown: "未知",
};
const type = (t: string) => TYPES[t] ?? t;
const UNITS: Record<string, string> = { characters: "个字符", items: "项", bytes: "字节", entries: "项", elements: "项" };
const COMPARE: Record<string, string> = { "<=": "不得大于", "<": "必须小于", ">=": "不得小于", ">": "必须大于", "exactly ": "必须等于" };

/** Whole messages, as the server writes them. */
const WHOLE: Record<string, string> = {
  // titles
  "Invalid request": "请求有误",
  "Bad request": "请求有误",
  "Not found": "未找到",
  Conflict: "冲突",
  "Precondition failed": "版本已过期",
  "Precondition required": "缺少版本号",
  "Payload too large": "内容过大",
  "Unsupported encoding": "不支持的编码",
  "Query timed out": "查询超时",
  "Service unavailable": "服务暂不可用",
  "Internal server error": "服务器内部错误",
  "Not signed in": "未登录",
  Forbidden: "无权操作",
  "Sign-in failed": "登录失败",
  "Too many failed sign-ins": "登录失败次数过多",
  "Method not allowed": "不允许的操作",
  "Import rejected": "导入被拒绝",
  "Unreadable file": "无法读取文件",
  "Unknown coordinate system": "未知的坐标系",
  "Coordinate system given too late": "坐标系声明过晚",
  "not checked yet": "尚未检查",
  "Area too large": "范围过大",
  "Quantity in another unit": "数量单位不符",
  "No such shapefile": "没有该 Shapefile",
  "Undecodable text": "文本无法解码",
  // details and field messages
  "wrong user name or password": "用户名或密码错误",
  "is required": "必填",
  "violates the rule for this field": "不符合此字段的规则",
  "refers to something that does not exist": "引用的对象不存在",
  "must be unique": "不能重复",
  "contains a character that cannot be stored": "含有无法保存的字符",
  "is out of range": "超出范围",
  "must not contain the NUL character": "不能包含 NUL 字符",
  "must not be empty": "不能为空",
  "must be a number": "必须是数字",
  "must be an integer": "必须是整数",
  "must be an object": "必须是对象",
  "must be true or false": "必须是 true 或 false",
  "must be a feature id": "必须是要素编号",
  "must be a value or a comma-separated list of values": "必须是一个值或以逗号分隔的多个值",
  "must be minLon,minLat,maxLon,maxLat": "必须是 最小经度,最小纬度,最大经度,最大纬度",
  "min must not exceed max (minLon,minLat,maxLon,maxLat)": "最小值不能大于最大值（最小经度,最小纬度,最大经度,最大纬度）",
  "must be a GeoJSON geometry object": "必须是 GeoJSON 几何对象",
  "must be a GeoJSON Polygon, {hazard_id} or {lon, lat, radius_m}": "必须是 GeoJSON 多边形、{hazard_id} 或 {lon, lat, radius_m}",
  "a position is [lon, lat]": "坐标应为 [经度, 纬度]",
  "coordinates must be numbers": "坐标必须是数字",
  "longitude must be within -180..180": "经度必须在 -180 到 180 之间",
  "latitude must be within -90..90": "纬度必须在 -90 到 90 之间",
  "a line of zero length: its positions are all the same point": "线的长度为零：各点都是同一点",
  "the geometry is EMPTY: a feature needs a location": "几何为空：要素需要有位置",
  "not an attribute of this layer": "不是此图层的属性",
  "there is no year 0000": "不存在 0000 年",
  "must not be blank (leave it out, or null, for no code)": "不能为空白（没有编码时请不填或填 null）",
  "nothing to change: send properties and/or geometry": "没有要修改的内容：请提供属性和/或几何",
  "give either hazard_id or lon and lat, not both": "请给出 hazard_id 或经纬度，不能同时给出",
  "required, unless hazard_id or incident_id is given": "必填（除非给出 hazard_id 或 incident_id）",
  "required, unless incident_id is given": "必填（除非给出 incident_id）",
  "ask either for an incident (incident_id) or for a point or area, not both": "请只给出事件(incident_id)或地点/区域之一，不能同时给出",
  "applies with incident_id and no items": "仅适用于给出 incident_id 且未给出物资(items)时",
  "only open shelters are usable: add include_unusable=true to ask for others": "只有开放的避难场所可用：查询其他状态请加 include_unusable=true",
  "needs item": "需要同时给出物资(item)",
  // incidents
  "names no team": "没有这支队伍",
  "names no depot": "没有这个储备库",
  "Unprocessable request": "无法处理的请求",
  "each depot may appear once": "每个储备库只能出现一次",
  "names no hazard with a zone": "没有带影响范围的这个危险源",
  "is before the incident started": "早于事件开始时间",
  "say what to change": "请说明要修改什么",
  "Unprocessable area": "无法处理的区域",
  // printing
  "is not a readable PNG or JPEG image": "不是可读取的 PNG 或 JPEG 图片",
  "layer hazards is answered straight only": "危险源只能按直线查询",
  "applies by road only": "仅适用于按公路计算",
  "applies by road only (with minutes)": "仅适用于按公路计算（给出分钟数）",
  "applies straight only: by road give max_minutes": "仅适用于按直线计算：按公路请给出 max_minutes",
  "give exactly one of radius_m (straight) or minutes (by road)": "radius_m（直线）与 minutes（公路）须且只能给出一个",
  "by road takes minutes, not radius_m": "按公路计算请给出 minutes，而不是 radius_m",
  "straight takes radius_m, not minutes": "按直线计算请给出 radius_m，而不是 minutes",
  "would lock you out": "会把您自己锁在系统之外",
  "x and y must be below 2^z": "x 和 y 必须小于 2^z",
  "must be an http(s) URL": "必须是 http(s) 网址",
  "must have no query or fragment": "不能含查询串或片段",
  "must be json or html": "必须是 json 或 html",
  "must be results or hits": "必须是 results 或 hits",
  "must be at least 1": "至少为 1",
  "must be at least 10 characters": "至少 10 个字符",
  "must be 2–40 of a-z 0-9 _ . -": "必须是 2–40 个 a-z 0-9 _ . - 字符",
  "exports are never paged; narrow them with bbox or attribute filters": "导出不分页；请用范围(bbox)或属性条件缩小",
  "these collections have no temporal extent; datetime is not supported": "这些数据集没有时间范围，不支持 datetime",
  "only CRS84 is supported; send bbox in longitude/latitude without bbox-crs": "仅支持 CRS84：请以经纬度给出 bbox，不要带 bbox-crs",
  "no location: give lon/lat (经度/纬度) columns or a WKT column": "没有位置：请提供经度/纬度列或 WKT 列",
  "not a complete GeoJSON FeatureCollection": "不是完整的 GeoJSON 要素集合",
  "request bodies are limited to 10 MB": "请求内容不得超过 10 MB",
  "the database took too long; try a smaller request": "数据库处理时间过长，请缩小请求范围",
  "the database is unreachable; retry shortly": "无法连接数据库，请稍后重试",
  "the database is unreachable": "无法连接数据库",
  "an unexpected error occurred; it has been logged": "发生意外错误，已记录在日志中",
  "sign in first (POST /api/v1/auth/login) or send an API token: Authorization: Bearer <token>, or as the password of HTTP Basic auth":
    "请先登录（POST /api/v1/auth/login），或发送 API 令牌：Authorization: Bearer <令牌>，或作为 HTTP Basic 认证的密码",
  "the X-CSRF-Token header is missing or wrong (GET /api/v1/auth/me gives it)": "缺少或错误的 X-CSRF-Token 请求头（由 GET /api/v1/auth/me 提供）",
  "API tokens are revoked, not signed out: DELETE /api/v1/auth/tokens/{id}": "API 令牌应吊销而非退出：DELETE /api/v1/auth/tokens/{id}",
  "you cannot disable yourself or take away your own admin role; ask another admin": "不能停用自己或取消自己的管理员角色，请联系其他管理员",
  "the API token is unknown, revoked, or its account is disabled": "API 令牌无效、已吊销，或其账户已停用",
  "Workbook too large": "工作簿过大",
  "a linear ring must end where it starts": "闭合环的终点必须与起点相同",
  "Method Not Allowed": "不允许的操作",
  "is withdrawn: coverage now counts only usable resources (a shelter open with free places, a team on standby, a depot holding stock)":
    "已停用：覆盖现在只计可用资源（开放且有空位的避难场所、待命的队伍、有库存的储备库）",
  "each item may appear once": "每种物资只能出现一次",
  "minutes as a comma-separated list, e.g. 10,20,30": "分钟数以逗号分隔，如 10,20,30",
  "at most 6 breaks": "最多 6 个分段",
  "each break more than 0 and at most 240 minutes": "每个分段须大于 0 且不超过 240 分钟",
  "Invalid input": "输入无效",
  "Invalid input: more than one option matched": "输入无效：匹配了多个选项",
  "Invalid ISO date": "无效的日期（应为 YYYY-MM-DD）",
  "Invalid ISO datetime": "无效的日期时间（ISO 8601）",
  "Invalid URL": "无效的网址",
  "Invalid UUID": "无效的 UUID",
};

type Rewrite = [RegExp, (m: RegExpMatchArray, nouns: Record<string, string>) => string];

const noun = (n: Record<string, string>, word: string) => n[word] ?? NOUNS[word] ?? word;

/** The catalogue's items by code: a refusal names an item by its code and counts it in its English unit. */
const ITEM = new Map(ITEMS.map((i) => [i.code, i]));
const STATES: Record<string, string> = { standby: "待命", deployed: "已出动", sent: "已发出", delivered: "已送达", cancelled: "已取消" };
const state = (s: string) => STATES[s] ?? s;

/** Messages carrying values; `m[i]` are the captured values, kept as they are (codes, numbers, names). */
const PATTERNS: Rewrite[] = [
  // zod's own (its English locale, v4)
  [/^Invalid input: expected (\w+), received (\S+)$/, (m) => `输入无效：应为${type(m[1]!)}，实际为${type(m[2]!)}`],
  [/^Invalid input: expected (.+)$/, (m) => `输入无效：应为 ${m[1]}`],
  [/^Invalid option: expected one of (.+)$/, (m) => `无效选项：应为以下之一 ${m[1]}`],
  [/^Too big: expected (\w+) to have (<=|<|exactly )(\S+) (\w+)$/, (m) => `${type(m[1]!)}${COMPARE[m[2]!]} ${m[3]} ${UNITS[m[4]!] ?? m[4]}`],
  [/^Too big: expected (\w+) to be (<=|<|exactly )(\S+)$/, (m) => `${COMPARE[m[2]!]} ${m[3]}`],
  [/^Too small: expected (\w+) to have (>=|>|exactly )(\S+) (\w+)$/, (m) => `${type(m[1]!)}${COMPARE[m[2]!]} ${m[3]} ${UNITS[m[4]!] ?? m[4]}`],
  [/^Too small: expected (\w+) to be (>=|>|exactly )(\S+)$/, (m) => `${COMPARE[m[2]!]} ${m[3]}`],
  [/^Invalid string: must match pattern (.+)$/, (m) => `格式无效：须符合 ${m[1]}`],
  [
    /^Invalid string: must (start with|end with|include) (.+)$/,
    (m) =>
      `格式无效：须${{ "start with": "以", "end with": "以", include: "包含" }[m[1]!]} ${m[2]}${m[1] === "include" ? "" : m[1] === "start with" ? " 开头" : " 结尾"}`,
  ],
  [/^Invalid number: must be a multiple of (\S+)$/, (m) => `数字无效：须为 ${m[1]} 的倍数`],
  [/^Unrecognized keys?: (.+)$/, (m) => `未知的属性：${m[1]}`],
  [/^Invalid key in (\w+)$/, (m) => `${type(m[1]!)}中的键无效`],
  [/^Invalid value in (\w+)$/, (m) => `${type(m[1]!)}中的值无效`],
  [/^Invalid discriminator value\. Expected (.+)$/, (m) => `类型无效：应为 ${m[1]}`],
  [/^Invalid (.+)$/, (m) => `无效的 ${m[1]}`],
  // the server's own
  [/^must be at most (\d+) characters$/, (m) => `不得超过 ${m[1]} 个字符`],
  [/^must be one of (.+)$/, (m) => `必须是以下之一：${m[1]}`],
  [/^must be (.+) or EPSG:<code>$/, (m) => `必须是 ${m[1]} 或 EPSG:<代码>`],
  [/^must match (.+)$/, (m) => `须符合 ${m[1]}`],
  [/^(\S+) (\S+) does not exist$/, (m, n) => `${noun(n, m[1]!)} ${m[2]} 不存在`],
  [/^no layer named (\S+); GET \/api\/v1\/layers lists them$/, (m) => `没有名为 ${m[1]} 的图层；GET /api/v1/layers 列出全部图层`],
  [/^no API endpoint (\S+) (\S+); see \/api\/v1\/openapi.json$/, (m) => `没有接口 ${m[1]} ${m[2]}；见 /api/v1/openapi.json`],
  [/^nothing at (\S+)$/, (m) => `${m[1]} 处没有内容`],
  [/^your roles do not allow this \(it needs (.+)\)$/, (m) => `您的角色无权进行此操作（需要 ${m[1]} 权限）`],
  [/^(.+) from a signed-in web session, never with an API token$/, (m) => `${m[1]} 须在已登录的网页中进行，不能使用 API 令牌`],
  [/^(\S+) is derived from other layers and cannot be edited$/, (m, n) => `${noun(n, m[1]!)}由其他图层计算得出，不能编辑`],
  [
    /^(\S+) (\d+) is now at version (\d+), not (\d+): someone else changed it; reload(?: and apply your edit again)?$/,
    (m, n) => `${noun(n, m[1]!)} ${m[2]} 已是第 ${m[3]} 版而非第 ${m[4]} 版：其他人已修改，请重新加载后再编辑`,
  ],
  [/^send If-Match with the ETag of the version you edited/, () => '请用 If-Match 请求头给出所编辑版本的 ETag（如 If-Match: "3"）'],
  [/^If-Match (.+) is not a version of this resource$/, (m) => `If-Match ${m[1]} 不是此资源的版本`],
  [/^(\S+) (\d+) lies in (.+), outside your townships \((.+)\)$/, (m, n) => `${noun(n, m[1]!)} ${m[2]} 位于${m[3]}，在您负责的乡镇（${m[4]}）之外`],
  [
    /^this would place (\S+) (\d+) in (.+), outside your townships \((.+)\)$/,
    (m, n) => `此操作会把${noun(n, m[1]!)} ${m[2]} 移到${m[3]}，在您负责的乡镇（${m[4]}）之外`,
  ],
  [/^(\S+) (\d+) lies outside your townships \((.+)\)$/, (m, n) => `${noun(n, m[1]!)} ${m[2]} 位于您负责的乡镇（${m[3]}）之外`],
  [/^this would place (\S+) (\d+) outside your townships \((.+)\)$/, (m, n) => `此操作会把${noun(n, m[1]!)} ${m[2]} 移到您负责的乡镇（${m[3]}）之外`],
  [/^(\S+) (\d+) lies outside any township assigned to you \(you have none\)$/, (m, n) => `${noun(n, m[1]!)} ${m[2]} 不在您负责的乡镇内（您没有负责的乡镇）`],
  [/^lies outside your townships \((.+)\)$/, (m) => `位于您负责的乡镇（${m[1]}）之外`],
  [/^lies outside any township assigned to you \(you have none\)$/, () => "不在您负责的乡镇内（您没有负责的乡镇）"],
  [/^would change (\S+) (.+), which lies outside your townships \((.+)\)$/, (m, n) => `会修改${noun(n, m[1]!)} ${m[2]}，它位于您负责的乡镇（${m[3]}）之外`],
  [/^(\S+) (.+) is already used by another feature of (\S+)$/, (m, n) => `${m[1]} ${m[2]} 已被${noun(n, m[3]!)}中的其他要素使用`],
  [/^(\S+) already used by another feature$/, (m) => `${m[1]} 已被其他要素使用`],
  [/^too many failed sign-ins (.+); try again in (\d+) minutes$/, (m) => `登录失败次数过多，请 ${m[2]} 分钟后再试`],
  [
    /^(\d+) row\(s\) rejected, nothing was written; first: row (\d+), (\S+): (.+)$/,
    (m, n) => `${m[1]} 行被拒绝，未写入任何数据；第一处：第 ${m[2]} 行，${m[3]}：${toChinese(m[4]!, n)}`,
  ],
  [/^duplicate (\S+) (.+): already on row (\d+) of this file$/, (m) => `${m[1]} ${m[2]} 重复：本文件第 ${m[3]} 行已有`],
  [
    /^the file's "crs" member comes after its features, which were read as WGS 84: give crs=EPSG:<code>$/,
    () => '文件的 "crs" 成员位于要素之后，要素已按 WGS 84 读取：请给出 crs=EPSG:<代码>',
  ],
  [/^the file's "crs" member is not a named coordinate system .*: give crs=EPSG:<code>$/, () => '文件的 "crs" 成员不是有名称的坐标系：请给出 crs=EPSG:<代码>'],
  [/^the file's "crs" names (.+), which is not read here: give crs=EPSG:<code>$/, (m) => `文件的 "crs" 指定了 ${m[1]}，本系统无法识别：请给出 crs=EPSG:<代码>`],
  // sending to an incident
  [
    /^not enough stock: (.+); nothing was sent$/,
    (m, n) =>
      `库存不足：${m[1]!
        .split("; ")
        .map((p) => toChinese(p, n))
        .join("；")}；未发出任何物资`,
  ],
  [
    /^(.+) holds (\S+) (\S+) of (\S+), not (\S+)$/,
    (m) => {
      const item = ITEM.get(m[4]!);
      return item
        ? `${m[1]} 的${item.name_zh}只有 ${m[2]} ${item.unit_zh}，不足 ${m[5]} ${item.unit_zh}`
        : `${m[1]} 的 ${m[4]} 只有 ${m[2]} ${m[3]}，不足 ${m[5]}`;
    },
  ],
  [/^(.+) is not available: it is (\S+)$/, (m) => `${m[1]} 不可调派：当前${state(m[2]!)}`],
  [/^not on standby \((\S+)\)$/, (m) => `未处于待命状态（${state(m[1]!)}）`],
  [/^incident (\d+) has no deployment (\d+)$/, (m) => `事件 ${m[1]} 没有第 ${m[2]} 号队伍调派`],
  [/^deployment (\d+) was already released$/, (m) => `第 ${m[1]} 号队伍调派已解除`],
  [/^incident (\d+) has no dispatch (\d+)$/, (m) => `事件 ${m[1]} 没有第 ${m[2]} 号调拨单`],
  [/^dispatch (\d+) is already (\S+)$/, (m) => `第 ${m[1]} 号调拨单已${state(m[2]!).replace(/^已/, "")}`],
  [/^already (\S+)$/, (m) => `已${state(m[1]!).replace(/^已/, "")}`],
  [/^no such depot: (\d+) named$/, (m) => `所指的储备库不存在（${m[1]} 处）`],
  [/^incident (\d+) is closed; nothing more is sent to it$/, (m) => `事件 ${m[1]} 已结束，不再向其调拨`],
  [/^the hazard has no zone .* or does not exist$/, () => "该危险源没有影响范围（点或线未设影响半径）或不存在"],
  [/^(?:the area is )?not a valid polygon: (.+)$/, (m) => `区域不是有效的多边形：${m[1]}`],
  [/^invalid geometry: (.+)$/, (m) => `几何无效：${m[1]}`],
  [/^invalid WKT: (.+)$/, (m) => `WKT 无效：${m[1]}`],
  [/^bad coordinate: lon (.*), lat (.*) must both be numbers$/, (m) => `坐标有误：经度 ${m[1]}、纬度 ${m[2]} 都必须是数字`],
  [/^malformed JSON: (.+)$/, (m) => `JSON 格式错误：${m[1]}`],
  [/^cannot read the body as (\S+): (.+)$/, (m) => `无法按 ${m[1]} 读取内容：${m[2]}`],
  [/^no township has admin code (\S+)$/, (m) => `没有区划代码为 ${m[1]} 的乡镇`],
  [/^no township is named (.+): add it to townships first, or give township_code$/, (m) => `没有名为 ${m[1]} 的乡镇：请先在乡镇图层中添加，或给出所属乡镇代码`],
  [/^township (\S+) has no admin code: give it one first$/, (m) => `乡镇 ${m[1]} 没有区划代码：请先补上`],
  [/^unknown item code (\S+); GET \/api\/v1\/items lists them$/, (m) => `未知的物资编码 ${m[1]}；GET /api/v1/items 列出全部物资`],
  [/^applies to layer (.+)$/, (m) => `仅适用于图层 ${m[1]}`],
  [/^must be one of (.+) for this layer, not (\S+)$/, (m) => `此图层的几何必须是 ${m[1]} 之一，而不是 ${m[2]}`],
  [/^imports are limited to (.+)$/, (m) => `导入文件不得超过 ${m[1]}`],
  [/^must be (.+) in the item's unit, or text with that unit \((.+)\)$/, (m) => `必须是 ${m[1]}（物资自身的单位），或带该单位的文字（${m[2]}）`],
  [/^must be (.+)$/, (m) => `必须是 ${m[1]}`],
];

/**
 * A message in Chinese, or unchanged when the table does not know it. Compound messages ("a: b; c: d")
 * are translated part by part; `nouns` are the layers' Chinese names by URL name (shelters → 应急避难场所).
 */
export function toChinese(text: string, nouns: Record<string, string> = {}): string {
  if (text in WHOLE) return WHOLE[text]!;
  for (const [pattern, rewrite] of PATTERNS) {
    const m = text.match(pattern);
    if (m) return rewrite(m, nouns);
  }
  if (text.includes("; "))
    return text
      .split("; ")
      .map((part) => toChinese(part, nouns))
      .join("；");
  const colon = text.indexOf(": ");
  if (colon > 0) return `${text.slice(0, colon)}：${toChinese(text.slice(colon + 2), nouns)}`;
  return text;
}

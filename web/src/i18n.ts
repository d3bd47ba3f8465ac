import { GENERAL_INCIDENT_KIND_WORDS } from "../../data/incident_kinds.ts";
/** zh-CN by default, English by a switch; the choice persists in localStorage. */
export type Lang = "zh" | "en";

const TEXT = {
  title: { zh: "应急资源一张图", en: "Emergency resource map" },
  layers: { zh: "图层", en: "Layers" },
  nearest: { zh: "最近资源", en: "Nearest resources" },
  clickHint: {
    zh: "点击地图设置事发地点（键盘：方向键移动地图，回车选中心）",
    en: "Click the map to set the incident point (keyboard: arrows pan, Enter picks the centre)",
  },
  switchTo: { zh: "English", en: "中文" },
  incident: { zh: "事发地点", en: "Incident point" },
  none: { zh: "无", en: "none" },
  loading: { zh: "正在查询…", en: "Loading…" },
  people: { zh: "人", en: "people" },
  print: { zh: "打印", en: "Print" },
  printOrder: { zh: "打印调度单", en: "Print the order" },
  printedAt: { zh: "制图时间", en: "Printed" },
  printMap: { zh: "打印地图（PDF）", en: "Print the map (PDF)" },
  printTitle: { zh: "标题", en: "Title" },
  issuingUnit: { zh: "制图单位", en: "Issuing unit" },
  paperSize: { zh: "纸张", en: "Paper" },
  portrait: { zh: "纵向", en: "Portrait" },
  landscape: { zh: "横向", en: "Landscape" },
  makePdf: { zh: "生成 PDF", en: "Make PDF" },
  printing: { zh: "正在生成…", en: "Making…" },
  evacuationBook: { zh: "避险转移手册（PDF）", en: "Evacuation book (PDF)" },
  townshipBook: { zh: "本乡镇避险转移手册（PDF）", en: "Its township's evacuation book (PDF)" },
  editing: { zh: "编辑数据", en: "Edit data" },
  edit: { zh: "编辑", en: "Edit" },
  add: { zh: "新增", en: "Add" },
  save: { zh: "保存", en: "Save" },
  move: { zh: "拖动位置", en: "Drag to move" },
  saved: { zh: "已保存", en: "Saved" },
  placeIt: { zh: "点击地图放置新要素…", en: "Click the map to place the new feature…" },
  conflict: { zh: "其他人已修改此要素，请重新加载后再编辑。", en: "Someone else changed this; reload it and edit again." },
  reload: { zh: "重新加载", en: "Reload" },
  fixFields: { zh: "请修正标出的字段。", en: "Please correct the marked fields." },
  searchPlaces: { zh: "搜索地点", en: "Search places" },
  sheetHandle: { zh: "展开或收起面板", en: "Expand or collapse the panel" },
  searchHint: {
    // short enough to show whole in the search box of a laptop's top bar and a phone's
    zh: "搜索村庄、场所、队伍、道路…",
    en: "Villages, shelters, teams, roads…",
  },
  planning: { zh: "规划分析", en: "Planning" },
  evacuation: { zh: "转移安置", en: "Evacuation" },
  coverageOf: { zh: "覆盖对象", en: "Covered by" },
  radius: { zh: "半径", en: "Radius" },
  findGaps: { zh: "查找覆盖缺口", en: "Find coverage gaps" },
  uncovered: { zh: "未覆盖", en: "Uncovered" },
  villagesN: { zh: "个村", en: "villages" },
  suggest: { zh: "建议新址", en: "Suggest sites" },
  capacity: { zh: "各乡镇避难容量", en: "Shelter capacity by township" },
  township: { zh: "乡镇", en: "Township" },
  noBoundary: { zh: "无边界", en: "without boundary" },
  population: { zh: "人口", en: "Population" },
  places: { zh: "容量", en: "Places" },
  sheltered: { zh: "可安置", en: "Sheltered" },
  shelteredShare: { zh: "安置率", en: "Sheltered share" },
  noShelterInReach: { zh: "范围内无场所", en: "No shelter in reach" },
  noPlaceLeft: { zh: "场所已满", en: "No place left" },
  ownPlaces: { zh: "本乡镇容量", en: "Own places" },
  servingOthers: { zh: "安置外乡镇", en: "Serving others" },
  noTownship: { zh: "（无乡镇）", en: "(no township)" },
  belowAreaStandard: { zh: "{n} 处场所人均有效面积不足 1.5 m²", en: "{n} shelters have under 1.5 m² of effective area per place" },
  hazard: { zh: "危险源", en: "Hazard" },
  orCircle: { zh: "或在地图上点选圆心", en: "or click the map for a circle centre" },
  plan: { zh: "生成转移方案", en: "Plan evacuation" },
  affected: { zh: "受影响", en: "Affected" },
  assigned: { zh: "拟安置", en: "To be sheltered" },
  unassigned: { zh: "未能安置", en: "Left unassigned" },
  sheltersUsed: { zh: "使用避难场所", en: "Shelters used" },
  pickCentre: { zh: "点击地图选择圆心…", en: "Click the map to place the centre…" },
  orPolygon: { zh: "或在地图上画多边形", en: "or draw a polygon" },
  finishPolygon: { zh: "完成", en: "Finish" },
  pickCorners: { zh: "逐个点击地图添加顶点，至少三个，然后点“完成”…", en: "Click the map for each corner (three or more), then Finish…" },
  exporting: { zh: "导出数据", en: "Export data" },
  pickHazard: { zh: "— 或选择危险源 —", en: "— or pick a hazard —" },
  anyItem: { zh: "任意物资", en: "any item" },
  depotHolding: { zh: "储备库存有", en: "Depots holding" },
  specialty: { zh: "队伍专长", en: "Team specialty" },
  standbyOnly: { zh: "仅待命队伍", en: "Standing by only" },
  freePlaces: { zh: "避难场所空余≥", en: "Shelters with free places ≥" },
  includeUnusable: { zh: "含不可用避难场所", en: "Include unusable shelters" },
  inHazardZone: { zh: "位于危险源影响范围", en: "Inside the zone of" },
  unusable: { zh: "不可用", en: "Unusable" },
  unusable_closed: { zh: "已关闭", en: "closed" },
  unusable_full: { zh: "已满", en: "full" },
  unusable_no_free_places: { zh: "无空余位置", en: "no free places" },
  fromHazard: { zh: "从危险源起算（其影响范围内的避难场所不列出）", en: "Measured from the hazard (shelters inside its zone are left out)" },
  supplies: { zh: "物资调配", en: "Supply plan" },
  addItem: { zh: "添加物资", en: "Add an item" },
  supplyItem: { zh: "物资", en: "Item" },
  supplyQuantity: { zh: "数量", en: "Quantity" },
  planSupplies: { zh: "生成调配方案", en: "Plan supplies" },
  shortfall: { zh: "缺口", en: "Shortfall" },
  noShortfall: { zh: "需求均可满足", en: "Every need is met" },
  layer: { zh: "图层", en: "Layer" },
  format: { zh: "格式", en: "Format" },
  onlyInView: { zh: "仅当前视图范围", en: "Only what is in view" },
  download: { zh: "下载", en: "Download" },
  downloadInView: { zh: "下载当前视图范围内的要素", en: "Download the features in view" },
  signIn: { zh: "登录", en: "Sign in" },
  signOut: { zh: "退出", en: "Sign out" },
  username: { zh: "用户名", en: "User name" },
  password: { zh: "密码", en: "Password" },
  cancel: { zh: "取消", en: "Cancel" },
  signInRequired: { zh: "本系统需登录后查看。", en: "Sign in to see the map." },
  statusOnly: {
    zh: "点击地图上的避难场所、救援队伍或道路，可更新其安置人数、队伍状态或通行状态。",
    en: "Click a shelter, a team or a road on the map to update its occupancy or status.",
  },
  audit: { zh: "操作记录", en: "Audit trail" },
  actor: { zh: "操作人", en: "Actor" },
  action: { zh: "操作", en: "Action" },
  entity: { zh: "对象", en: "Entity" },
  since: { zh: "起始日期", en: "Since" },
  any: { zh: "全部", en: "any" },
  search: { zh: "查询", en: "Search" },
  older: { zh: "更早的记录", en: "Older entries" },
  noEntries: { zh: "没有符合条件的记录", en: "No entries match" },
  tokens: { zh: "API 令牌", en: "API tokens" },
  tokenName: { zh: "令牌名称", en: "Token name" },
  createToken: { zh: "创建令牌", en: "Create token" },
  revoke: { zh: "吊销", en: "Revoke" },
  revoked: { zh: "已吊销", en: "revoked" },
  noTokens: { zh: "暂无令牌", en: "No tokens yet" },
  tokenOnce: { zh: "请立即复制此令牌（已选中，Ctrl+C）：它不会再次显示。", en: "Copy this token now (it is selected: Ctrl+C): it will not be shown again." },
  yes: { zh: "是", en: "yes" },
  no: { zh: "否", en: "no" },
  classDefault: { zh: "按道路等级默认", en: "its class's default" },
  damagedDriven: { zh: "受损减半为", en: "halved while damaged:" },
  closeRoad: { zh: "封闭（中断）", en: "Close" },
  markDamaged: { zh: "标记受损", en: "Mark damaged" },
  reopenRoad: { zh: "恢复通行", en: "Reopen" },
  byRoad: { zh: "按公路", en: "By road" },
  byStraight: { zh: "按直线", en: "Straight line" },
  measuredBy: { zh: "计算方式", en: "Measured" },
  avoidHazards: { zh: "避开危险区", en: "Avoid hazard zones" },
  avoid_0: { zh: "不避开", en: "none" },
  avoid_1: { zh: "重大", en: "major (level 1)" },
  avoid_2: { zh: "较大及以上", en: "level 2 and above" },
  avoid_3: { zh: "一般及以上", en: "level 3 and above" },
  avoid_4: { zh: "全部", en: "all" },
  straight: { zh: "直线", en: "straight" },
  roadSuffix: { zh: "（公路）", en: " by road" },
  minutes: { zh: "分钟", en: "min" },
  hours: { zh: "小时", en: "h" },
  fellBackBeyondReach: {
    zh: "事发地点距最近的可通行道路 {d}，超出 {reach} 的接入范围，无法按公路计算，以下为直线距离。",
    en: "The incident point is {d} from the nearest usable road, beyond the {reach} reach: no answer by road, straight distances below.",
  },
  fellBackNoRoads: { zh: "本区域没有可通行的道路，无法按公路计算，以下为直线距离。", en: "No usable road here: no answer by road, straight distances below." },
  notReachableByRoad: { zh: "另有 {n} 处无法经公路到达：", en: "{n} more cannot be reached by road: " },
  reason_beyond_reach: { zh: "{n} 处距可通行道路超过接入范围", en: "{n} too far from a usable road" },
  reason_no_roads: { zh: "{n} 处附近没有可通行道路", en: "{n} with no usable road" },
  reason_no_route: { zh: "{n} 处与事发地点之间道路不通（中断或避开危险区）", en: "{n} with no way open between (closed roads or hazard zones)" },
  routeHint: { zh: "点击结果可在地图上查看其路线", en: "Click a result to see its route on the map" },
  serviceArea: { zh: "服务范围", en: "Service area" },
  serviceAreaOf: { zh: "公路服务范围", en: "Service area by road" },
  drawServiceArea: { zh: "绘制服务范围", en: "Draw service area" },
  clear: { zh: "清除", en: "Clear" },
  allOfLayer: { zh: "全部", en: "all" },
  withinMinutes: { zh: "{m} 分钟内可达", en: "within {m} min" },
  serviceNotReachable: { zh: "{n} 处距道路过远，未计入", en: "{n} too far from a road, left out" },
  teamsLayer: { zh: "救援队伍", en: "Teams" },
  sheltersLayer: { zh: "避难场所", en: "Shelters" },
  depotsLayer: { zh: "储备库", en: "Depots" },
  tokenUse: { zh: "在脚本或 QGIS 中使用请求头 Authorization: Bearer <令牌>。", en: "Use it in scripts or QGIS as the header Authorization: Bearer <token>." },
  // acting on results: places, plans as sheets, lists, the clerk's form
  nearVillage: { zh: "{village}附近", en: "near {village}" },
  nearVillageIn: { zh: "{village}附近（{township}）", en: "near {village} ({township})" },
  holds: { zh: "储备", en: "holds" },
  uncoveredVillages: { zh: "未覆盖的村（按人口）", en: "Uncovered villages (by people)" },
  evacRoutes: { zh: "转移路线（村 → 避难场所）", en: "Moves (village → shelter)" },
  toMove: { zh: "拟安置", en: "to move" },
  notPlaced: { zh: "未安置", en: "not placed" },
  unplaced_no_shelter_in_reach: { zh: "范围内无可用避难场所", en: "no usable shelter in reach" },
  unplaced_no_capacity_left: { zh: "避难场所已满", en: "no places left" },
  unplaced_beyond_reach: { zh: "距道路过远", en: "too far from a road" },
  unplaced_no_roads: { zh: "附近没有道路", en: "no roads nearby" },
  myTownship: { zh: "（本人辖区）", en: "(your township)" },
  suggestedSites: { zh: "建议新址", en: "Suggested sites" },
  // the import panel (panels/import_panel.ts)
  importing: { zh: "导入数据", en: "Import data" },
  importDrop: {
    zh: "将 Excel/CSV 表格、Shapefile（.zip）或 GeoPackage 拖到此处，或",
    en: "Drop an Excel/CSV sheet, a zipped Shapefile or a GeoPackage here, or",
  },
  chooseFile: { zh: "选择文件", en: "choose a file" },
  importUnknownFormat: {
    zh: "无法识别此文件类型：请使用 .csv、.xlsx、.zip（Shapefile）、.gpkg 或 .geojson（.xls 请先另存为 .xlsx）。",
    en: "Unknown file type: use .csv, .xlsx, .zip (Shapefile), .gpkg or .geojson (save an .xls as .xlsx first).",
  },
  encoding: { zh: "文本编码", en: "Text encoding" },
  encodingAuto: { zh: "自动（识别为 {name}）", en: "Automatic (detected: {name})" },
  encodingOwn: { zh: "按文件（{name}）", en: "The file's ({name})" },
  fileLayer: { zh: "文件中的图层", en: "Layer in the file" },
  crs: { zh: "坐标系", en: "Coordinate system" },
  crsFile: { zh: "文件自带：{name}", en: "The file's own: {name}" },
  crsWgs84: { zh: "WGS 84（GPS、天地图）", en: "WGS 84 (GPS, Tianditu)" },
  crsCgcs2000: { zh: "CGCS2000（国家 2000）", en: "CGCS2000" },
  crsGcj02: { zh: "GCJ-02（高德、腾讯地图）", en: "GCJ-02 (AMap, Tencent)" },
  crsBd09: { zh: "BD-09（百度地图）", en: "BD-09 (Baidu)" },
  crsEpsg: { zh: "EPSG 代码", en: "EPSG code" },
  crsDegrees: {
    zh: "坐标为经纬度：WGS 84、CGCS2000、GCJ-02、BD-09 在数值上无法区分，请按数据来源选择。",
    en: "The coordinates are degrees: WGS 84, CGCS2000, GCJ-02 and BD-09 look alike, choose by the data's source.",
  },
  crsGuessed: { zh: "按坐标数值判断为 {name}。", en: "Judged from the numbers: {name}." },
  crsMissing: { zh: "文件未说明坐标系，请选择或填写 EPSG 代码。", en: "The file does not say its coordinate system: choose one or give an EPSG code." },
  mapping: { zh: "字段对应", en: "Columns" },
  column: { zh: "文件中的列", en: "Column" },
  sample: { zh: "示例", en: "Sample" },
  takeAs: { zh: "导入为", en: "Import as" },
  notImported: { zh: "— 不导入 —", en: "— not imported —" },
  byDialect: { zh: "按{dialect}路网格式读取", en: "read as {dialect} road data" },
  needLocation: { zh: "请指定经度、纬度列（或 WKT 列）。", en: "Map a longitude and a latitude column (or a WKT column)." },
  dryRun: { zh: "试导入（不写入）", en: "Dry run (writes nothing)" },
  commitImport: { zh: "确认导入", en: "Import" },
  uploading: { zh: "正在上传 {p}%（{done} / {total}）", en: "Uploading {p}% ({done} of {total})" },
  serverWorking: {
    zh: "已上传，服务器正在逐行校验{write}…（服务器处理期间不报告进度）",
    en: "Uploaded; the server is checking every row{write}… (it reports no progress meanwhile)",
  },
  andWriting: { zh: "并写入", en: " and writing" },
  dryRunSummary: {
    zh: "共 {rows} 行：可新增 {inserted}、更新 {updated}、不变 {unchanged}。",
    en: "{rows} rows: {inserted} to add, {updated} to update, {unchanged} unchanged.",
  },
  importedSummary: {
    zh: "已导入 {rows} 行：新增 {inserted}、更新 {updated}、不变 {unchanged}。",
    en: "Imported {rows} rows: {inserted} added, {updated} updated, {unchanged} unchanged.",
  },
  skippedRows: { zh: "跳过 {n} 行。", en: "{n} rows left out." },
  leftOutRows: { zh: "{n} 条非车行道路（人行道、台阶等）未导入。", en: "{n} ways not for vehicles (footways, steps…) left out." },
  rejectedRows: {
    zh: "{n} 行被拒绝，未写入任何数据。请修改字段对应或坐标系，或勾选“跳过”，再试导入。",
    en: "{n} rows rejected, nothing written. Change the columns or the coordinate system, or tick Skip, then run the dry run again.",
  },
  moreRejected: { zh: "另有 {n} 处错误未列出。", en: "{n} more errors not listed." },
  readyToImport: { zh: "全部通过校验，可以确认导入。", en: "Every row passes: ready to import." },
  row: { zh: "行", en: "Row" },
  field: { zh: "字段", en: "Field" },
  reason: { zh: "原因", en: "Reason" },
  skipRow: { zh: "跳过", en: "Skip" },
  location: { zh: "位置", en: "Location" },
  // incidents (突发事件): the layer and the commander's panel
  incidents: { zh: "突发事件", en: "Incidents" },
  noOpenIncidents: { zh: "暂无进行中的突发事件", en: "No open incidents" },
  newIncident: { zh: "新建事件", en: "New incident" },
  openIncident: { zh: "开设事件", en: "Open the incident" },
  openInPanel: { zh: "在事件面板中查看", en: "Open in the incident panel" },
  incidentName: { zh: "事件名称", en: "Name" },
  incidentKind: { zh: "事件类型", en: "Kind" },
  incidentLevel: { zh: "事件级别", en: "Level" },
  incidentStarted: { zh: "开始时间", en: "Started" },
  incidentEnded: { zh: "结束时间", en: "Ended" },
  incidentArea: { zh: "事发区域", en: "Area" },
  areaDraw: { zh: "画多边形", en: "Draw a polygon" },
  areaCircle: { zh: "圆形范围", en: "Circle" },
  areaHazard: { zh: "危险源影响范围", en: "A hazard's zone" },
  drawHint: { zh: "在地图上依次点击各顶点（至少 3 个）", en: "Click the map at each corner (3 at least)" },
  circleHint: { zh: "点击地图选定圆心", en: "Click the map for the centre" },
  circleSet: { zh: "圆心已选定（再次点击可更改）", en: "Centre set (click again to move it)" },
  undoCorner: { zh: "撤销上一点", en: "Undo the last corner" },
  radiusKm: { zh: "半径（公里）", en: "Radius (km)" },
  pickHazardZone: { zh: "请选择一个危险源", en: "Pick a hazard" },
  printReport: { zh: "打印态势报告（PDF）", en: "Print the situation report (PDF)" },
  closeIncident: { zh: "结束事件", en: "Close the incident" },
  confirmClose: { zh: "确定结束“{name}”？结束后不能再调拨物资或派遣队伍。", en: "Close “{name}”? Nothing more can be sent to it." },
  needs: { zh: "物资需求", en: "Needs" },
  needsDays: { zh: "保障天数", en: "Days to supply" },
  incidentAffected: {
    zh: "受影响 {villages} 个村，{people} 人，{households} 户。",
    en: "{villages} villages, {people} people, {households} households affected.",
  },
  reachByRoad: { zh: "可调：公路 {minutes} 分钟内的储备库。", en: "In reach: depots within {minutes} min by road." },
  reachStraight: { zh: "可调：直线 {km} 内的储备库。", en: "In reach: depots within {km} in a straight line." },
  notByRoad: { zh: "事发区域不通公路，按直线计", en: "the area joins no road: straight" },
  need: { zh: "需求", en: "Need" },
  dispatched: { zh: "已调拨", en: "Sent" },
  inReach: { zh: "可调库存", en: "In reach" },
  planFromNeeds: { zh: "按调配方案调拨", en: "Send from the supply plan" },
  stillToSend: { zh: "尚需调拨（需求减已调拨）", en: "Still to send (need less sent)" },
  allSent: { zh: "需求均已调拨", en: "Every need has been sent" },
  noDepotHas: { zh: "各储备库均无库存", en: "No depot holds" },
  sendAll: { zh: "全部发出", en: "Send them all" },
  sentFrom: { zh: "已从 {n} 个储备库发出。", en: "Sent from {n} depots." },
  asked: { zh: "需 {n}", en: "{n} asked" },
  notEnoughStock: { zh: "库存不足，调拨被拒绝", en: "Not enough stock: refused" },
  nothingSent: { zh: "未发出任何物资，请重新生成调配方案。", en: "Nothing was sent; make the plan again." },
  dispatchList: { zh: "调拨记录", en: "Dispatches" },
  status_sent: { zh: "在途", en: "on its way" },
  status_delivered: { zh: "已送达", en: "delivered" },
  status_cancelled: { zh: "已取消", en: "cancelled" },
  markDelivered: { zh: "确认送达", en: "Delivered" },
  cancelDispatch: { zh: "取消调拨", en: "Cancel" },
  teamsDeployed: { zh: "救援队伍", en: "Teams" },
  standbyTeam: { zh: "待命队伍（由近及远）", en: "Teams on standby (nearest first)" },
  deployTeam: { zh: "派遣", en: "Deploy" },
  releaseTeam: { zh: "撤回", en: "Release" },
  deployed: { zh: "已派遣", en: "deployed" },
  released: { zh: "已撤回", en: "released" },
  teamNotAvailable: { zh: "{name} 已不在待命状态，不能派遣", en: "{name} is no longer on standby" },
  timeline: { zh: "时间线", en: "Timeline" },
  note: { zh: "记录", en: "Note" },
  addNote: { zh: "添加记录", en: "Add the note" },
  timeline_incident_opened: { zh: "开设事件", en: "opened" },
  timeline_incident_changed: { zh: "修改事件", en: "changed" },
  timeline_incident_closed: { zh: "结束事件", en: "closed" },
  timeline_dispatch_sent: { zh: "调拨发出", en: "sent" },
  timeline_dispatch_delivered: { zh: "调拨送达", en: "delivered" },
  timeline_dispatch_cancelled: { zh: "调拨取消", en: "cancelled" },
  timeline_team_deployed: { zh: "派遣队伍", en: "team deployed" },
  timeline_team_released: { zh: "撤回队伍", en: "team released" },
  timeline_note: { zh: "记录", en: "note" },
  timeline_occupancy_reported: { zh: "安置人数上报", en: "occupancy reported" },
} satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TEXT;

/** An incident's level as the national grading says it: Ⅰ级 特别重大 … Ⅳ级 一般. */
const INCIDENT_LEVELS: Record<number, Record<Lang, string>> = {
  1: { zh: "Ⅰ级 特别重大", en: "Level Ⅰ, extremely serious" },
  2: { zh: "Ⅱ级 重大", en: "Level Ⅱ, serious" },
  3: { zh: "Ⅲ级 较大", en: "Level Ⅲ, relatively serious" },
  4: { zh: "Ⅳ级 一般", en: "Level Ⅳ, ordinary" },
};
/** Roles and audited actions by the names people use for them. */
const ROLES: Record<string, Record<Lang, string>> = {
  viewer: { zh: "查看员", en: "viewer" },
  commander: { zh: "指挥员", en: "commander" },
  planner: { zh: "规划员", en: "planner" },
  analyst: { zh: "分析员", en: "analyst" },
  clerk: { zh: "录入员", en: "clerk" },
  admin: { zh: "管理员", en: "admin" },
};
const ACTIONS: Record<string, Record<Lang, string>> = {
  insert: { zh: "新增", en: "insert" },
  update: { zh: "修改", en: "update" },
  delete: { zh: "删除", en: "delete" },
  export: { zh: "导出", en: "export" },
  import: { zh: "导入", en: "import" },
};
const VIAS: Record<string, Record<Lang, string>> = {
  session: { zh: "网页", en: "web" },
  token: { zh: "API 令牌", en: "API token" },
  database: { zh: "数据库", en: "database" },
};

let lang: Lang = localStorage.getItem("hazmap.lang") === "en" ? "en" : "zh";
const listeners: (() => void)[] = [];

export const currentLang = () => lang;
export const t = (key: TextKey) => TEXT[key][lang];
/** A text with {name} slots filled in. */
export const tf = (key: TextKey, values: Record<string, string | number>) => TEXT[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
export const label = (l: { zh: string; en: string }) => l[lang];
export const incidentLevelLabel = (level: number, language: Lang = lang) => INCIDENT_LEVELS[level]?.[language] ?? String(level);
export const incidentKindLabel = (kind: string): string | undefined => GENERAL_INCIDENT_KIND_WORDS[kind]?.[lang];
export const roleLabel = (role: string) => ROLES[role]?.[lang] ?? role;
export const actionLabel = (action: string) => ACTIONS[action]?.[lang] ?? action;
/** How a write came in (the audit trail's `via`): the web app, an API token, or SQL straight to the database. */
export const viaLabel = (via: string) => VIAS[via]?.[lang] ?? via;

export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem("hazmap.lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) el.textContent = t(el.dataset.i18n as TextKey);
  listeners.forEach((f) => f());
}

export const onLangChange = (f: () => void) => listeners.push(f);

/** 12,000 people / 1.2 万人. */
export function formatPeople(n: number): string {
  if (lang === "zh") return n >= 10_000 ? `${(n / 10_000).toLocaleString("zh-CN", { maximumFractionDigits: 1 })} 万人` : `${n.toLocaleString("zh-CN")} 人`;
  return `${n.toLocaleString("en")} people`;
}

/** 12,000 features / 1.2 万个要素. */
export function formatFeatures(n: number): string {
  if (lang === "zh")
    return n >= 10_000 ? `${(n / 10_000).toLocaleString("zh-CN", { maximumFractionDigits: 1 })} 万个要素` : `${n.toLocaleString("zh-CN")} 个要素`;
  return `${n.toLocaleString("en")} features`;
}

/** A moment to the second, in the reader's time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en", { dateStyle: "short", timeStyle: "medium", hour12: false });
}

/** An item's unit (箱 / cases): every quantity is in its item's unit and says so. */
export const unitLabel = (u: { unit_zh: string; unit_en: string }) => (lang === "zh" ? u.unit_zh : u.unit_en);
export const formatQuantity = (n: number, u: { unit_zh: string; unit_en: string }) => `${n} ${unitLabel(u)}`;

export function formatKm(metres: number): string {
  return `${(metres / 1000).toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 1 })} km`;
}

/** A travel time: 12 分钟 / 1 小时 5 分钟 (whole minutes, at least 1). */
export function formatMinutes(seconds: number): string {
  const m = Math.max(1, Math.round(seconds / 60));
  const [h, r] = [Math.floor(m / 60), m % 60];
  const minutes = `${r} ${TEXT.minutes[lang]}`;
  return h ? `${h} ${TEXT.hours[lang]}${r ? ` ${minutes}` : ""}` : minutes;
}

const COMPASS = { zh: ["北", "东北", "东", "东南", "南", "西南", "西", "西北"], en: ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] };
export function formatBearing(deg: number | null): string {
  return deg === null ? "" : COMPASS[lang][Math.round(deg / 45) % 8]!;
}

import type { Random } from "./random.ts";

/** Hills get 岭/坪/垭… and plains 坝/堰/湾…, as Sichuan place names do. */
export type Terrain = "plain" | "hill";

const PLACE_FIRST = [..."龙石金桂白青清黄马高新永太福安长双三五万兴和柏松桃杨柳凤云红大天明观宝合梨竹茶银胜春德顺仁义鹤鹿狮"];
const PLACE_SECOND: Record<Terrain, string[]> = {
  plain: [..."桥坝湾堰塘田场铺庙寺井园河池林溪滩亭店"],
  hill: [..."山岭坪沟岩垭峰崖洞坡台泉岗寨关"],
};
const URBAN = [
  "文昌",
  "南街",
  "北街",
  "东街",
  "西街",
  "东门",
  "西门",
  "南门",
  "北门",
  "滨江",
  "育才",
  "解放",
  "人民",
  "新华",
  "建设",
  "和平",
  "光明",
  "迎宾",
  "花园",
  "锦绣",
  "幸福",
  "城南",
  "城北",
  "城东",
  "城西",
  "翠湖",
  "凤凰",
  "朝阳",
  "振兴",
  "书院",
  "学府",
  "金桂",
  "玉带",
  "望江",
  "沿河",
  "龙城",
  "新城",
  "文化",
  "胜利",
  "状元",
  "桂花",
  "盐市",
  "鼓楼",
  "南苑",
  "东湖",
  "西苑",
  "惠民",
  "兴隆",
  "福星",
  "长乐",
  "民主",
  "团结",
  "万福",
  "锦城",
];
const SURNAMES = [
  ..."王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文",
];
const GIVEN = [..."建国华明伟芳丽军平强红英勇杰娟涛斌霞刚辉静敏燕磊超鹏玉兰琴波洪春秀志德成文永荣林海云俊峰丹宇婷浩晨欣雪梅松桂"];
const MOBILE_PREFIXES = ["133", "135", "136", "138", "139", "150", "151", "158", "180", "181", "187", "189", "199"];

/** A two-character place name such as 石桥 (plain) or 龙岭 (hill). */
export function placeStem(random: Random, terrain: Terrain): string {
  return random.pick(PLACE_FIRST) + random.pick(PLACE_SECOND[terrain]);
}

/** A county-town name such as 文昌 or 滨江, for 街道, 社区 and roads. */
export function urbanStem(random: Random): string {
  return random.pick(URBAN);
}

/** A gully named after the family that settled it, such as 黄家沟. */
export function gullyName(random: Random): string {
  return random.pick(SURNAMES) + "家沟";
}

export function personName(random: Random): string {
  const given = random.chance(0.7) ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return random.pick(SURNAMES) + given;
}

export function mobilePhone(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, "0");
}

/** Names of one site kind, "#" standing for the place it is named after. */
export const SHELTER_NAMES = {
  school: ["#中心小学操场", "#中学操场", "#小学操场", "#实验学校"],
  park: ["#公园", "#湿地公园", "#森林公园"],
  square: ["#广场", "#文化广场", "#休闲广场"],
  stadium: ["#体育馆", "#体育中心", "#全民健身中心"],
  community_centre: ["#便民服务中心", "#党群服务中心"],
} as const;

/** A village's shelter is its school or the yard of its village committee (村委会院坝). */
export const VILLAGE_SHELTER_NAMES = {
  school: ["#小学操场", "#小学"],
  square: ["#文化广场", "#委会院坝", "#活动广场"],
} as const;

export const HAZARD_NAMES = {
  chemical_plant: ["四川#化工有限公司", "示范县#化工有限公司", "#精细化工有限公司", "#新材料科技有限公司"],
  fuel_station: ["中国石化#加油站", "中国石油#加油站", "#加油站"],
  mine: ["示范县#石灰石矿", "#建筑石料矿", "#页岩矿"],
  tailings_pond: ["#尾矿库"],
  landslide: ["#滑坡隐患点"],
  collapse: ["#崩塌隐患点"],
  debris_flow: ["#泥石流隐患点"],
  flood_zone: ["#段洪涝风险区"],
  reservoir: ["#水库"],
  fireworks: ["示范县#烟花爆竹仓库", "#花炮有限公司"],
  forest_fire_zone: ["#山森林火险区", "#林区森林火险区"],
} as const;

/**
 * A name built from parts, each part's first character dropped where the name so far already ends in it:
 * 竹河 + 河 is 竹河 (a river), 龙山 + 山森林火险区 is 龙山森林火险区 — never 竹河河 or 龙山山.
 */
export function joinName(...parts: string[]): string {
  let name = "";
  for (const part of parts) {
    const first = String.fromCodePoint(part.codePointAt(0) ?? 0);
    name += part && name.endsWith(first) ? part.slice(first.length) : part;
  }
  return name;
}

/** One of the patterns with "#" replaced by the place. */
export function compose(random: Random, patterns: readonly string[], place: string): string {
  const [before, after = ""] = random.pick(patterns).split("#");
  return joinName(before!, place, after);
}

/**
 * Hands out names unique within one layer: draws again while a name is taken, telling the draw how
 * many it has made so it can fall back to a larger pool. The pools here are large enough that a
 * handful of draws finds a free name.
 */
export function uniqueNames(): (draw: (attempt: number) => string) => string {
  const taken = new Set<string>();
  return (draw) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const name = draw(attempt);
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
    throw new Error("ran out of unique names");
  };
}

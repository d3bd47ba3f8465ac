// A generated road network for benches: a county (or, larger, a province) drawn the way real files are,
// deterministic from a seed. Village roads on a jittered grid, one segment per junction-to-junction link
// with a bend, some links missing and some diagonals; township roads as long lines through the grid's
// junctions (noded by shared vertices); county, provincial and national roads wandering across the grid
// in general position, so the noder must cut them at every crossing; a river crossed only by a few bridges
// (a bridge meets other roads only at its ends); an expressway crossing everything grade-separated, joined
// by slip roads at its interchanges; some one-way, damaged and closed roads. Villages, shelters, teams and
// depots stand beside the roads. Coordinates in WGS 84, rounded to 1e-7° so shared vertices are exact.

export interface GeneratedRoad {
  code: string;
  name: string;
  road_class: "expressway" | "national" | "provincial" | "county" | "township" | "village" | "other";
  oneway: "no" | "forward" | "backward";
  speed_kmh: number | null;
  status: "open" | "damaged" | "closed";
  bridge: boolean;
  tunnel: boolean;
  line: [number, number][];
}

export interface RoadNetworkPlan {
  /** junctions a side of the village grid */
  n: number;
  west: number;
  south: number;
  /** degrees per grid step (300 m) */
  dLon: number;
  dLat: number;
}

const SPACING_M = 300;
const SOUTH = 30.2;
const WEST = 110.6;
const P_DROP = 0.07;
const P_DIAGONAL = 0.06;
const TOWNSHIP_EVERY = 8;
const BRIDGE_EVERY = 27;

/** The grid that makes about `segments` rows (village links ≈ 1.7 n² rows with township lines every 8th). */
export function planRoadNetwork(segments: number): RoadNetworkPlan {
  const n = Math.ceil(Math.sqrt(segments / 1.7)) + 2;
  const dLat = SPACING_M / 111_320;
  return { n, west: WEST, south: SOUTH, dLat, dLon: SPACING_M / (111_320 * Math.cos((SOUTH * Math.PI) / 180)) };
}

/** mulberry32: a small seeded generator, the same numbers on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** The river's centre line in grid units: y at x, across the whole width from west to east. */
function riverY(plan: RoadNetworkPlan, x: number): number {
  const { n } = plan;
  return n * 0.45 + n * 0.04 * Math.sin((2 * Math.PI * x) / (n * 0.35)) + n * 0.015 * Math.sin((2 * Math.PI * x) / (n * 0.09) + 1);
}
const northOfRiver = (plan: RoadNetworkPlan, [x, y]: [number, number]) => y > riverY(plan, x);

export function* generateRoadNetwork(plan: RoadNetworkPlan, seed: number): Generator<GeneratedRoad> {
  const { n } = plan;
  const rnd = random(seed);
  const toLonLat = ([x, y]: [number, number]): [number, number] => [round(plan.west + x * plan.dLon), round(plan.south + y * plan.dLat)];
  // junctions, in grid units
  const jx = new Float64Array(n * n);
  const jy = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      jx[i * n + j] = i + (rnd() - 0.5) * 0.4;
      jy[i * n + j] = j + (rnd() - 0.5) * 0.4;
    }
  const at = (i: number, j: number): [number, number] => [jx[i * n + j]!, jy[i * n + j]!];
  /** a link between two junctions with a bend: three vertices */
  const bent = (a: [number, number], b: [number, number]): [number, number][] => {
    const off = (rnd() - 0.5) * 0.2;
    return [a, [(a[0] + b[0]) / 2 - (b[1] - a[1]) * off, (a[1] + b[1]) / 2 + (b[0] - a[0]) * off], b];
  };
  let serial = 0;
  const road = (
    r: Omit<GeneratedRoad, "code" | "line" | "oneway" | "speed_kmh" | "status" | "bridge" | "tunnel"> & Partial<GeneratedRoad>,
    line: [number, number][],
  ) => {
    const status = rnd() < 0.005 ? "damaged" : rnd() < 0.002 ? "closed" : "open";
    return { code: `bench:${++serial}`, oneway: "no", speed_kmh: null, status, bridge: false, tunnel: false, ...r, line: line.map(toLonLat) } as GeneratedRoad;
  };
  /** a link crossing the river is left out unless it is one of the few bridges */
  const crossesRiver = (line: [number, number][]) => northOfRiver(plan, line[0]!) !== northOfRiver(plan, line[line.length - 1]!);

  // village links: east–west (i..i+1 on row j) and north–south (j..j+1 on column i); township lines take every 8th row and column
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      for (const [di, dj] of [
        [1, 0],
        [0, 1],
      ] as const) {
        if (i + di >= n || j + dj >= n) continue;
        const onTownshipLine = di === 1 ? j % TOWNSHIP_EVERY === 0 : i % TOWNSHIP_EVERY === 0;
        if (onTownshipLine) continue;
        const line = bent(at(i, j), at(i + di, j + dj));
        const bridge = crossesRiver(line);
        if (bridge && !(dj === 1 && i % BRIDGE_EVERY === Math.floor(BRIDGE_EVERY / 2))) continue;
        if (!bridge && rnd() < P_DROP) continue;
        const u = rnd();
        const oneway = u < 0.015 ? "forward" : u < 0.03 ? "backward" : "no";
        yield road({ name: `村道${i}-${j}${di ? "东" : "北"}`, road_class: "village", oneway, bridge }, line);
      }
      // a diagonal in some cells, never across the river
      if (i + 1 < n && j + 1 < n && rnd() < P_DIAGONAL) {
        const line = bent(at(i, j), at(i + 1, j + 1));
        if (!crossesRiver(line)) yield road({ name: `村道${i}-${j}斜`, road_class: "village" }, line);
      }
    }

  // township roads: long lines through every junction of a row or column, in pieces of 8 links, cut at the river
  for (const horizontal of [true, false])
    for (let k = 0; k < n; k += TOWNSHIP_EVERY) {
      let piece: [number, number][] = [];
      const flush = () => {
        if (piece.length > 1) {
          const line = piece.flatMap((p, m) => (m === 0 ? [p] : bent(piece[m - 1]!, p).slice(1)));
          return road({ name: `乡道${horizontal ? "东西" : "南北"}${k}`, road_class: "township" }, line);
        }
      };
      for (let m = 0; m < n; m++) {
        const p = horizontal ? at(m, k) : at(k, m);
        if (piece.length > 0 && northOfRiver(plan, piece[piece.length - 1]!) !== northOfRiver(plan, p)) {
          const done = flush();
          if (done) yield done;
          piece = [];
        }
        piece.push(p);
        if (piece.length > TOWNSHIP_EVERY) {
          const done = flush();
          if (done) yield done;
          piece = [p];
        }
      }
      const done = flush();
      if (done) yield done;
    }

  // long roads wandering across the grid off its junctions; where one crosses the river, a bridge
  const longRoad = function* (name: string, road_class: GeneratedRoad["road_class"], points: [number, number][], speed_kmh: number | null = null) {
    let section: [number, number][] = [points[0]!];
    for (let m = 1; m < points.length; m++) {
      const p = points[m]!;
      const q = points[m - 1]!;
      if (northOfRiver(plan, q) !== northOfRiver(plan, p)) {
        if (section.length > 1) yield road({ name, road_class, speed_kmh }, section);
        yield road({ name: `${name}大桥`, road_class, speed_kmh, bridge: true, status: "open" }, [q, p]);
        section = [p];
      } else {
        section.push(p);
        // sections of about 10 km, as road files cut them
        if (section.length > 30) {
          yield road({ name, road_class, speed_kmh }, section);
          section = [p];
        }
      }
    }
    if (section.length > 1) yield road({ name, road_class, speed_kmh }, section);
  };
  const wander = (from: [number, number], to: [number, number], step: number, sway: number): [number, number][] => {
    const length = Math.hypot(to[0] - from[0], to[1] - from[1]);
    const count = Math.max(2, Math.round(length / step));
    return Array.from({ length: count + 1 }, (_, m) => {
      const t = m / count;
      const edge = m === 0 || m === count ? 0 : 1;
      return [from[0] + (to[0] - from[0]) * t + edge * (rnd() - 0.5) * sway, from[1] + (to[1] - from[1]) * t + edge * (rnd() - 0.5) * sway] as [number, number];
    });
  };
  const scale = n / 185;
  const across = Math.max(1, Math.round(4 * scale));
  for (let c = 0; c < across; c++) {
    const x = ((c + 0.5 + (rnd() - 0.5) * 0.3) / across) * (n - 1);
    yield* longRoad(`县道X${100 + c}`, "county", wander([x, 0.3], [x + (rnd() - 0.5) * n * 0.2, n - 1.3], 3.3, 1.5), rnd() < 0.3 ? 60 : null);
    const y = ((c + 0.5 + (rnd() - 0.5) * 0.3) / across) * (n - 1);
    yield* longRoad(`县道X${200 + c}`, "county", wander([0.3, y], [n - 1.3, y + (rnd() - 0.5) * n * 0.2], 3.3, 1.5));
  }
  for (let c = 0; c < Math.max(1, Math.round(2 * scale)); c++) {
    const x = (rnd() * 0.5 + 0.05) * n;
    yield* longRoad(`省道S${300 + c}`, "provincial", wander([x, 0.4], [Math.min(n - 1.4, x + n * 0.4), n - 1.4], 5, 2));
  }
  // the national road along the river's north bank, and one across it
  for (let c = 0; c < Math.max(1, Math.round(scale)); c++) {
    const bank = 3 + c * 17;
    const points = Array.from({ length: Math.round(n / 1.7) }, (_, m): [number, number] => {
      const x = 0.35 + (m / (Math.round(n / 1.7) - 1)) * (n - 1.7);
      return [x, riverY(plan, x) + bank + (rnd() - 0.5) * 0.3];
    });
    yield* longRoad(`国道G${318 + c}`, "national", points);
    const x = (0.3 + rnd() * 0.4) * n;
    yield* longRoad(`国道G${209 + c}`, "national", wander([x, 0.45], [x + (rnd() - 0.5) * n * 0.1, n - 1.45], 1.7, 0.6));
  }
  // an expressway in the south, grade-separated; slip roads from its interchanges to the nearest junction
  for (let c = 0; c < Math.max(1, Math.round(scale)); c++) {
    const y = n * 0.2 + c * n * 0.05;
    const points = wander([0.25, y], [n - 1.25, y + n * 0.05], 6, 0.8);
    for (let m = 0; m + 1 < points.length; m += 20) yield road({ name: `G${65 + c}高速`, road_class: "expressway" }, points.slice(m, m + 21));
    for (let m = 5; m < points.length - 1; m += 7) {
      const [x, yy] = points[m]!;
      const i = Math.round(x);
      const j = Math.round(yy);
      yield road({ name: `G${65 + c}高速连接线${m}`, road_class: "other", speed_kmh: 40, status: "open" }, [points[m]!, at(i, j)]);
    }
  }
}

export interface GeneratedPlace {
  name: string;
  lon: number;
  lat: number;
}

/** `count` places beside the village grid (within ~100 m of a junction), deterministic from the seed. */
export function placesBesideRoads(plan: RoadNetworkPlan, seed: number, count: number, prefix: string): GeneratedPlace[] {
  const rnd = random(seed);
  return Array.from({ length: count }, (_, k) => {
    const x = 1 + Math.floor(rnd() * (plan.n - 2)) + (rnd() - 0.5) * 0.6;
    const y = 1 + Math.floor(rnd() * (plan.n - 2)) + (rnd() - 0.5) * 0.6;
    return { name: `${prefix}${k + 1}`, lon: round(plan.west + x * plan.dLon), lat: round(plan.south + y * plan.dLat) };
  });
}

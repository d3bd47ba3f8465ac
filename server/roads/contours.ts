import type { ReachGrid } from "./reach_grid.ts";

type Ring = [number, number][];
/** GeoJSON MultiPolygon coordinates: polygons of rings, the first outer (counter-clockwise), the rest holes (clockwise). */
export type MultiPolygonCoordinates = Ring[][];

/** The corners of a square counter-clockwise from its bottom left, as offsets in cells. */
const DX = [0, 1, 1, 0];
const DY = [0, 0, 1, 1];

/** A crossing is kept this far (in cells) from a cell centre, so that no ring touches itself at a centre. */
const MARGIN = 1e-3;

/**
 * The outline of the cells reached within `limit` seconds (marching squares between cell centres, the
 * outline crossing each side of a square where the time there would be `limit`, linearly; past a cell
 * not reached, where the walk from the reached one runs out), as polygons with holes, in degrees
 * (7 decimals). A larger limit gives a larger area holding the smaller: each crossing moves outwards as
 * the limit grows, and a square whose two reached corners face each other is joined through its middle
 * once its mean time is within the limit. Null when nothing is reached.
 */
export function reachedOutline(grid: ReachGrid, limit: number): MultiPolygonCoordinates | null {
  const { width, height, seconds, cellSeconds } = grid;
  const inside = (c: number) => seconds[c]! <= limit;
  const hId = (i: number, j: number) => 2 * (j * width + i);
  const vId = (i: number, j: number) => 2 * (j * width + i) + 1;
  // a crossing: a side of a square between the centres c (reached) and d (not), as an id (2 per cell:
  // the side to the east, the side to the north); where along it the outline crosses, from c. Only the
  // squares the outline crosses have crossings (a few in a hundred on a large grid): each crossing met
  // has a slot (by id), holding where it is and the crossing the outline goes on to (-1: none yet)
  const slot = new Int32Array(2 * width * height).fill(-1);
  const xs: number[] = [];
  const ys: number[] = [];
  const next: number[] = [];
  const cross = (id: number, c: number, d: number, cx: number, cy: number, dx: number, dy: number): number => {
    const a = seconds[c]!;
    const b = seconds[d]!;
    let f = b === Infinity ? (limit - a) / cellSeconds : (limit - a) / (b - a);
    f = Math.min(1 - MARGIN, Math.max(MARGIN, f));
    let k = slot[id]!;
    if (k < 0) (k = slot[id] = xs.length), next.push(-1);
    xs[k] = cx + (dx - cx) * f;
    ys[k] = cy + (dy - cy) * f;
    return k;
  };
  // only the squares about the cells reached within the limit (a smaller break reaches fewer rows)
  let [west, south, east, north] = [width, height, -1, -1];
  for (let j = 0; j < height; j++) {
    for (let i = 0, c = j * width; i < width; i++, c++) {
      if (!(seconds[c]! <= limit)) continue;
      if (i < west) west = i;
      if (i > east) east = i;
      if (j < south) south = j;
      north = j;
    }
  }
  // a square's corners and sides counter-clockwise: bottom (bl → br), right, top, left; corner k at
  // (i + DX[k], j + DY[k]); its crossings (slot, exit?) in that order
  const starts: number[] = [];
  const corners = new Int32Array(4);
  const sides = new Int32Array(4);
  const crossed = new Int32Array(4);
  const exits = new Uint8Array(4);
  for (let j = Math.max(0, south - 1); j <= north && j + 1 < height; j++) {
    for (let i = Math.max(0, west - 1); i <= east && i + 1 < width; i++) {
      const bl = j * width + i;
      const reached = +inside(bl) + +inside(bl + 1) + +inside(bl + 1 + width) + +inside(bl + width);
      if (reached === 0 || reached === 4) continue;
      (corners[0] = bl), (corners[1] = bl + 1), (corners[2] = bl + 1 + width), (corners[3] = bl + width);
      (sides[0] = hId(i, j)), (sides[1] = vId(i + 1, j)), (sides[2] = hId(i, j + 1)), (sides[3] = vId(i, j));
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const l = (k + 1) % 4;
        const p = corners[k]!;
        const q = corners[l]!;
        const inP = inside(p);
        if (inP === inside(q)) continue;
        crossed[n] = inP
          ? cross(sides[k]!, p, q, i + DX[k]!, j + DY[k]!, i + DX[l]!, j + DY[l]!)
          : cross(sides[k]!, q, p, i + DX[l]!, j + DY[l]!, i + DX[k]!, j + DY[k]!);
        exits[n++] = inP ? 1 : 0;
      }
      // each exit joins the next entry counter-clockwise (the reached corners joined through the middle)
      // or, where two reached corners face each other and the middle is not reached, the previous one
      let joined = true;
      if (n === 4) {
        let sum = 0;
        for (let k = 0; k < 4; k++) sum += Math.min(seconds[corners[k]!]!, limit + cellSeconds);
        joined = sum / 4 <= limit;
      }
      for (let k = 0; k < n; k++) {
        if (!exits[k]) continue;
        next[crossed[k]!] = crossed[(k + (joined ? 1 : n - 1)) % n]!;
        starts.push(crossed[k]!);
      }
    }
  }
  // the rings: follow each crossing to the next until back where it began
  const rings: Ring[] = [];
  for (const start of starts) {
    if (next[start] === -1) continue;
    const ring: Ring = [];
    let k = start;
    do {
      const [lon, lat] = grid.lonLat(xs[k]!, ys[k]!);
      ring.push([round7(lon), round7(lat)]);
      const after = next[k]!;
      next[k] = -1;
      k = after;
    } while (k !== start);
    const closed = dedupe(ring);
    if (closed.length >= 4) rings.push(closed);
  }
  if (rings.length === 0) return null;
  // outer rings counter-clockwise, holes clockwise: each hole in the smallest outer ring holding it
  const outers = rings.filter((r) => signedArea(r) > 0).map((r) => ({ ring: r, area: signedArea(r), holes: [] as Ring[] }));
  outers.sort((a, b) => a.area - b.area);
  const tests = outers.map((o) => containment(o.ring));
  for (const hole of rings.filter((r) => signedArea(r) < 0)) outers.find((_, k) => tests[k]!(hole[0]!))?.holes.push(hole);
  return outers.map((o) => [o.ring, ...o.holes]);
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** The ring without repeated points (rounding may join two), closed. */
function dedupe(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) if (out.length === 0 || p[0] !== out.at(-1)![0] || p[1] !== out.at(-1)![1]) out.push(p);
  while (out.length > 1 && out[0]![0] === out.at(-1)![0] && out[0]![1] === out.at(-1)![1]) out.pop();
  out.push(out[0]!);
  return out;
}

/** Twice the signed area (degrees², shoelace): positive counter-clockwise. */
function signedArea(ring: Ring): number {
  let s = 0;
  for (let k = 0; k + 1 < ring.length; k++) s += ring[k]![0] * ring[k + 1]![1] - ring[k + 1]![0] * ring[k]![1];
  return s;
}

/**
 * Whether a point lies inside the ring (even–odd crossings), for many points: the ring's sides bucketed
 * by latitude band, so that a point tests only the sides of its band (a side its latitude does not cross
 * cannot count; a 30-minute outline has thousands of sides and hundreds of holes to place).
 */
function containment(ring: Ring): (point: [number, number]) => boolean {
  const sides = ring.length - 1;
  let [south, north] = [Infinity, -Infinity];
  for (const [, y] of ring) (south = Math.min(south, y)), (north = Math.max(north, y));
  const bands = Math.max(1, Math.ceil(Math.sqrt(sides)));
  const height = (north - south) / bands || 1;
  const bandOf = (y: number) => Math.min(bands - 1, Math.max(0, Math.floor((y - south) / height)));
  // side k runs from point l = k - 1 (the last side wraps) to point k, as the scan below walks them
  const inBand: number[][] = Array.from({ length: bands }, () => []);
  for (let k = 0, l = ring.length - 2; k < sides; l = k++) {
    const yk = ring[k]![1];
    const yl = ring[l]![1];
    for (let b = bandOf(Math.min(yk, yl)); b <= bandOf(Math.max(yk, yl)); b++) inBand[b]!.push(k);
  }
  return ([x, y]) => {
    let inside = false;
    if (y < south || y > north) return false;
    for (const k of inBand[bandOf(y)]!) {
      const [xk, yk] = ring[k]!;
      const [xl, yl] = ring[k === 0 ? ring.length - 2 : k - 1]!;
      if (yk > y !== yl > y && x < ((xl - xk) * (y - yk)) / (yl - yk) + xk) inside = !inside;
    }
    return inside;
  };
}

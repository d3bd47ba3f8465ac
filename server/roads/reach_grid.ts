import type { EdgeLines } from "./graph.ts";
import type { TimedRoad } from "./search.ts";

/** WGS84: semi-major axis (m) and first eccentricity squared. */
const A = 6_378_137;
const E2 = 0.00669437999014;
/** Empty cells around the area: the walk spreads two cells a step, and every outline closes inside the grid. */
const BORDER = 2;

export interface ReachGridInput {
  lines: EdgeLines;
  /** the road reached, with its times (search's `timed`) */
  road: TimedRoad;
  maxSeconds: number;
  /** on foot off the road: metres a second, and at most this many metres from it */
  walkMps: number;
  reachM: number;
  /** the side of a cell, metres, and the most cells the grid may have (a larger area takes larger cells) */
  cellM: number;
  maxCells: number;
}

/**
 * The time each place near the road reached is reached at, on a square grid: by road to a point of a
 * road reached (the time the search says), then on foot in a straight line at `walkMps`, at most `reachM`
 * from the road. Cell (i, j) is column i (west → east), row j (south → north); its time is that of its
 * centre, the road's time where a road runs through the cell.
 */
export interface ReachGrid {
  width: number;
  height: number;
  cellM: number;
  /** seconds of cell (i, j) at [j * width + i]; Infinity: not reached within maxSeconds */
  seconds: Float64Array;
  /** seconds on foot across one cell */
  cellSeconds: number;
  /** degrees (lon, lat) of a point in grid units (the centre of cell (i, j) is (i, j)) */
  lonLat(x: number, y: number): [number, number];
}

/** The grid of the road reached, or null when nothing was reached. */
export function reachGrid(input: ReachGridInput): ReachGrid | null {
  const { lines, road, maxSeconds, walkMps, reachM } = input;
  if (road.count === 0) return null;
  const { pointStart, coords } = lines;
  // the extent of the edges reached, in degrees
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = 0; k < road.count; k++) {
    for (let i = pointStart[road.edge[k]!]!; i < pointStart[road.edge[k]! + 1]!; i++) {
      const lon = lines.coords[2 * i]!;
      const lat = lines.coords[2 * i + 1]!;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
      if (lat < south) south = lat;
      if (lat > north) north = lat;
    }
  }
  if (west > east) return null;
  // a local square frame about the middle: metres east and north (within 0.1 % over a county)
  const lon0 = (west + east) / 2;
  const lat0 = (south + north) / 2;
  const sin = Math.sin((lat0 * Math.PI) / 180);
  const w = 1 - E2 * sin * sin;
  const mPerLat = ((A * (1 - E2)) / (w * Math.sqrt(w))) * (Math.PI / 180);
  const mPerLon = (A / Math.sqrt(w)) * Math.cos((lat0 * Math.PI) / 180) * (Math.PI / 180);
  const walkM = Math.min(reachM, maxSeconds * walkMps);
  const spanX = (east - west) * mPerLon + 2 * walkM;
  const spanY = (north - south) * mPerLat + 2 * walkM;
  const cellM = Math.max(input.cellM, Math.sqrt((spanX * spanY) / input.maxCells));
  const width = Math.ceil(spanX / cellM) + 1 + 2 * BORDER;
  const height = Math.ceil(spanY / cellM) + 1 + 2 * BORDER;
  // grid units: cell (i, j)'s centre at (i, j)
  const x0 = (west - lon0) * mPerLon - walkM - BORDER * cellM;
  const y0 = (south - lat0) * mPerLat - walkM - BORDER * cellM;
  const gx = (lon: number) => ((lon - lon0) * mPerLon - x0) / cellM;
  const gy = (lat: number) => ((lat - lat0) * mPerLat - y0) / cellM;
  const seconds = new Float64Array(width * height).fill(Infinity);
  const walked = new Float32Array(width * height);

  // the road: each stretch sampled every half cell, each cell keeping the least time of the road in it;
  // plain loops, each point of the edge put in grid units once (the stretches are ~100,000)
  let px = new Float64Array(64);
  let py = new Float64Array(64);
  for (let k = 0; k < road.count; k++) {
    const e = road.edge[k]!;
    const first = pointStart[e]!;
    const points = pointStart[e + 1]! - first;
    if (points < 2) continue;
    if (points > px.length) (px = new Float64Array(2 * points)), (py = new Float64Array(2 * points));
    for (let i = 0; i < points; i++) (px[i] = gx(coords[2 * (first + i)]!)), (py[i] = gy(coords[2 * (first + i) + 1]!));
    // fractions are of the edge's length in local metres (join.sql): here in grid units
    let length = 0;
    for (let i = 0; i + 1 < points; i++) length += distance(px[i + 1]! - px[i]!, py[i + 1]! - py[i]!);
    const pFrom = road.from[k]!;
    const pTo = road.to[k]!;
    const lo = Math.min(pFrom, pTo) * length;
    const hi = Math.max(pFrom, pTo) * length;
    // the time at d grid units along the edge: linear along the stretch
    const fromSeconds = road.fromSeconds[k]!;
    const span = road.toSeconds[k]! - fromSeconds;
    const along = pTo - pFrom;
    let d0 = 0;
    for (let i = 0; i + 1 < points && d0 <= hi; i++) {
      const ax = px[i]!;
      const ay = py[i]!;
      const bx = px[i + 1]!;
      const by = py[i + 1]!;
      const d1 = d0 + distance(bx - ax, by - ay);
      if (d1 >= lo) {
        const from = Math.max(lo, d0);
        const to = Math.min(hi, d1);
        const steps = Math.ceil((to - from) * 2) + 1;
        for (let s = 0; s <= steps; s++) {
          const d = from + ((to - from) * s) / steps;
          const f = d1 > d0 ? (d - d0) / (d1 - d0) : 0;
          const c = Math.round(ay + (by - ay) * f) * width + Math.round(ax + (bx - ax) * f);
          const time = along === 0 ? fromSeconds : fromSeconds + (span * (d / length - pFrom)) / along;
          if (time < seconds[c]!) seconds[c] = time;
        }
      }
      d0 = d1;
    }
  }

  // on foot from the road: a two-pass chamfer over the 16 neighbours a knight's move away or less (a
  // path's length at most 2.7 % over the straight line), keeping with each cell the metres walked to it
  const cellSeconds = cellM / walkMps;
  const before = [
    [-1, 0],
    [-2, -1],
    [-1, -1],
    [0, -1],
    [1, -1],
    [2, -1],
    [-1, -2],
    [1, -2],
  ];
  // each row's reached columns, lo..hi (none: hi < lo), kept as the sweeps reach more: a cell can only
  // be reached with a neighbour reached, so a sweep goes through the columns that may be (a 30-minute
  // area is ragged, and its grid the rectangle about it)
  const rowLo = new Int32Array(height).fill(width);
  const rowHi = new Int32Array(height).fill(-1);
  for (let j = 0; j < height; j++) {
    for (let i = 0, c = j * width; i < width; i++, c++) {
      if (seconds[c]! === Infinity) continue;
      if (rowLo[j] === width) rowLo[j] = i;
      rowHi[j] = i;
    }
  }
  const sweep = (sign: 1 | -1) => {
    const offset = Int32Array.from(before, ([dx, dy]) => sign * (dy! * width + dx!));
    const stepM = Float64Array.from(before, ([dx, dy]) => Math.hypot(dx!, dy!) * cellM);
    const stepS = Float64Array.from(stepM, (m) => m / walkMps);
    const rows = sign === 1 ? [BORDER, height - BORDER, 1] : [height - BORDER - 1, BORDER - 1, -1];
    for (let j = rows[0]!; j !== rows[1]; j += rows[2]!) {
      // the neighbours swept before a cell: the one before it in its row (so on along the row), within
      // two columns of it in the row before, within one in the row before that
      const [r1, r2] = [j - sign, j - 2 * sign];
      const lo = Math.max(BORDER, Math.min(rowLo[j]!, rowLo[r1]! - 2, rowLo[r2]! - 1));
      const hi = Math.min(width - BORDER - 1, Math.max(rowHi[j]!, rowHi[r1]! + 2, rowHi[r2]! + 1));
      let [reachedLo, reachedHi] = [width, -1];
      // from the side the sweep comes from: past the last column that may be reached, on until a cell is not
      let i = sign === 1 ? lo : hi;
      for (; sign === 1 ? i < width - BORDER : i >= BORDER; i += sign) {
        const c = j * width + i;
        if ((sign === 1 ? i > hi : i < lo) && seconds[c - sign]! === Infinity) break;
        let best = seconds[c]!;
        let bestM = walked[c]!;
        for (let k = 0; k < 8; k++) {
          const n = c + offset[k]!;
          const s = seconds[n]! + stepS[k]!;
          const m = walked[n]! + stepM[k]!;
          if (s < best && m <= reachM) {
            best = s;
            bestM = m;
          }
        }
        if (best <= maxSeconds) {
          seconds[c] = best;
          walked[c] = bestM;
        }
        if (seconds[c]! !== Infinity) (reachedLo = Math.min(reachedLo, i)), (reachedHi = Math.max(reachedHi, i));
      }
      [rowLo[j], rowHi[j]] = [reachedLo, reachedHi];
    }
  };
  sweep(1);
  sweep(-1);
  return {
    width,
    height,
    cellM,
    seconds,
    cellSeconds,
    lonLat: (x, y) => [lon0 + (x0 + x * cellM) / mPerLon, lat0 + (y0 + y * cellM) / mPerLat],
  };
}

/** The length of (dx, dy) (Math.hypot is several times slower). */
const distance = (dx: number, dy: number) => Math.sqrt(dx * dx + dy * dy);

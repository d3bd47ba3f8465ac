// The public GCJ-02 (AMap, Tencent) and BD-09 (Baidu) forward formulas, written here independently of
// the server's gcoord: test files are made in these systems from true WGS 84 positions.
import type { LonLat } from "./truth.ts";

const A = 6378245.0;
const EE = 0.006693421622965943;
function gcjDelta(x: number, y: number): [number, number] {
  const s = (k: number) => Math.sin(k * Math.PI);
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20 * s(6 * x) + 20 * s(2 * x)) * 2) / 3 + ((20 * s(y) + 40 * s(y / 3)) * 2) / 3 + ((160 * s(y / 12) + 320 * s(y / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20 * s(6 * x) + 20 * s(2 * x)) * 2) / 3 + ((20 * s(x) + 40 * s(x / 3)) * 2) / 3 + ((150 * s(x / 12) + 300 * s(x / 30)) * 2) / 3;
  return [dLon, dLat];
}
export function wgsToGcj([lon, lat]: LonLat): LonLat {
  const [dLon0, dLat0] = gcjDelta(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const dLat = (dLat0 * 180) / (((A * (1 - EE)) / (magic * Math.sqrt(magic))) * Math.PI);
  const dLon = (dLon0 * 180) / ((A / Math.sqrt(magic)) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}
export function gcjToBd([lon, lat]: LonLat): LonLat {
  const xPi = (Math.PI * 3000) / 180;
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * xPi);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * xPi);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

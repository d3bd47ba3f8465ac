/**
 * A GeoPackage geometry blob (GeoPackage 1.3 §2.1.3: "GP", version, flags, srs_id, envelope, then
 * ISO WKB) as a GeoJSON geometry, longitude/latitude or x/y only: Z and M are read past. null for an
 * empty geometry. server/formats/wkb.ts reads for export (flat parts, no Z) and does not serve here.
 */
export function geoPackageGeometry(blob: Buffer): { type: string; coordinates?: unknown; geometries?: unknown[] } | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error("a geometry that is not a GeoPackage binary (no GP magic)");
  const flags = blob[3]!;
  if (flags & 0x10) return null; // the empty-geometry flag
  const envelope = [0, 32, 48, 48, 64][(flags >> 1) & 7];
  if (envelope === undefined) throw new Error("a GeoPackage geometry with an unknown envelope type");
  let pos = 8 + envelope;

  const read = (): { type: string; coordinates?: unknown; geometries?: unknown[] } => {
    const le = blob[pos] === 1;
    let type = le ? blob.readUInt32LE(pos + 1) : blob.readUInt32BE(pos + 1);
    pos += 5;
    // ISO WKB adds 1000 (Z), 2000 (M), 3000 (ZM); extended WKB sets high bits
    let dims = 2;
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    type &= 0x0fffffff;
    const iso = Math.floor(type / 1000);
    dims += iso === 3 ? 2 : iso > 0 ? 1 : 0;
    type %= 1000;
    const u32 = () => {
      const n = le ? blob.readUInt32LE(pos) : blob.readUInt32BE(pos);
      pos += 4;
      return n;
    };
    const point = () => {
      const xy = [le ? blob.readDoubleLE(pos) : blob.readDoubleBE(pos), le ? blob.readDoubleLE(pos + 8) : blob.readDoubleBE(pos + 8)];
      pos += 8 * dims;
      return xy;
    };
    const points = () => Array.from({ length: u32() }, point);
    const rings = () => Array.from({ length: u32() }, points);
    const parts = () => Array.from({ length: u32() }, () => read().coordinates);
    switch (type) {
      case 1:
        return { type: "Point", coordinates: point() };
      case 2:
        return { type: "LineString", coordinates: points() };
      case 3:
        return { type: "Polygon", coordinates: rings() };
      case 4:
        return { type: "MultiPoint", coordinates: parts() };
      case 5:
        return { type: "MultiLineString", coordinates: parts() };
      case 6:
        return { type: "MultiPolygon", coordinates: parts() };
      case 7:
        return { type: "GeometryCollection", geometries: Array.from({ length: u32() }, read) };
      default:
        throw new Error(`WKB geometry type ${type} (curves, surfaces) is not read`);
    }
  };
  return read();
}

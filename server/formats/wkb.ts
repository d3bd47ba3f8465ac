/** A 2D geometry read from OGC WKB (as ST_AsBinary writes it), flattened into parts. */
export interface Shape {
  kind: "point" | "line" | "polygon";
  /** Each point, line or ring as x,y pairs; a multi-geometry's parts one after another. */
  parts: Float64Array[];
  /** minX, minY, maxX, maxY */
  bbox: [number, number, number, number];
}

const KINDS = { 1: "point", 2: "line", 3: "polygon", 4: "point", 5: "line", 6: "polygon" } as const;

/** Reads Point, LineString, Polygon and their Multi forms, either byte order. */
export function readWkb(wkb: Buffer): Shape {
  const parts: Float64Array[] = [];
  const bbox: Shape["bbox"] = [Infinity, Infinity, -Infinity, -Infinity];
  let pos = 0;
  const points = (n: number, le: boolean) => {
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n * 2; i++, pos += 8) xy[i] = le ? wkb.readDoubleLE(pos) : wkb.readDoubleBE(pos);
    for (let i = 0; i < n * 2; i += 2) {
      if (xy[i]! < bbox[0]) bbox[0] = xy[i]!;
      if (xy[i]! > bbox[2]) bbox[2] = xy[i]!;
      if (xy[i + 1]! < bbox[1]) bbox[1] = xy[i + 1]!;
      if (xy[i + 1]! > bbox[3]) bbox[3] = xy[i + 1]!;
    }
    parts.push(xy);
  };
  const geometry = (): number => {
    const le = wkb[pos] === 1;
    const type = le ? wkb.readUInt32LE(pos + 1) : wkb.readUInt32BE(pos + 1);
    pos += 5;
    const count = () => {
      const n = le ? wkb.readUInt32LE(pos) : wkb.readUInt32BE(pos);
      pos += 4;
      return n;
    };
    if (type === 1) points(1, le);
    else if (type === 2) points(count(), le);
    else if (type === 3) for (let r = count(); r > 0; r--) points(count(), le);
    else if (type >= 4 && type <= 6) for (let g = count(); g > 0; g--) geometry();
    else throw new Error(`WKB geometry type ${type} is not exported`);
    return type;
  };
  const type = geometry() as keyof typeof KINDS;
  return { kind: KINDS[type], parts, bbox };
}

import { posix } from "node:path";
import { text } from "node:stream/consumers";
import { open as openShapefile } from "shapefile";
import { Problem } from "../http/problem.ts";
import { dbfDeleted } from "./dbf_deleted.ts";
import { NOT_TEXT, type Encoding, type ReadAs } from "./decode_text.ts";
import { UndecodableText } from "./undecodable_text.ts";
import { wktProjection } from "./projection.ts";
import type { FileFacts, SourceRow } from "./row_feature.ts";
import { fromSpooledFile } from "./spooled_file.ts";
import { entryStream, zipEntries, type ZipEntry } from "./zip_entries.ts";

export interface ShapefileOptions {
  /** Overrides the .cpg. */
  encoding?: Encoding;
  /** Which shapefile of the .zip, by its name without `.shp`, when it holds several. */
  fileLayer?: string;
  /** Whether the import names the coordinate system (`crs=`): then the .prj is not needed. */
  crsGiven: boolean;
  /** A preview: tells rather than refuses (several shapefiles: the first; no usable .prj: `facts.crsProblem`). */
  preview?: boolean;
}

/** A .shp or .dbf may be 2 GB (the format's offsets are 32-bit words); a .prj or .cpg is a line. */
const DATA_BYTES = 2 * 1024 ** 3;
const TEXT_BYTES = 64 * 1024;
const BATCH = 1000;

/** What a .cpg says (ArcGIS and QGIS write a code page number or a name), as the text is read. */
const CODE_PAGES: Record<string, ReadAs | "windows-1252"> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "65001": "utf-8",
  gbk: "gb18030",
  gb2312: "gb18030",
  gb18030: "gb18030",
  "936": "gb18030",
  cp936: "gb18030",
  "54936": "gb18030",
  big5: "cp950",
  "950": "cp950",
  cp950: "cp950",
  "1252": "windows-1252",
  cp1252: "windows-1252",
  "windows-1252": "windows-1252",
  "iso-8859-1": "windows-1252",
  latin1: "windows-1252",
  "88591": "windows-1252",
};
const GIVEN: Record<Encoding, ReadAs> = {
  "utf-8": "utf-8",
  gbk: "gb18030",
  gb18030: "gb18030",
  big5: "cp950",
  "big5-hkscs": "big5hkscs",
  "utf-16": "utf-16le",
};
/** The WHATWG decoder (TextDecoder, which the shapefile package uses) for each: its `big5` is Big5-HKSCS, a superset of CP950. */
const DECODER_LABEL: Record<ReadAs | "windows-1252", string> = {
  "utf-8": "utf-8",
  gb18030: "gb18030",
  cp950: "big5",
  big5hkscs: "big5",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "windows-1252": "windows-1252",
};

/**
 * The attribute names dBase cut to 10 characters, from the `fields.txt` this product's own Shapefile
 * export writes beside them (dbf_name, field, zh, en; formats/shapefile.ts): an export edited in QGIS
 * comes back under its full names (township_c → township_code).
 */
function fullNames(fieldsTxt: string | undefined): (cells: Record<string, unknown>) => Record<string, unknown> {
  const lines = fieldsTxt?.split(/\r?\n/).map((l) => l.split("\t"));
  if (lines?.[0]?.[0] !== "dbf_name" || lines[0][1] !== "field") return (cells) => cells;
  const full = new Map(
    lines
      .slice(1)
      .filter((l) => l.length >= 2 && l[0] !== l[1])
      .map((l) => [l[0]!, l[1]!]),
  );
  return (cells) => {
    const named: Record<string, unknown> = {};
    for (const k in cells) named[full.get(k) ?? k] = cells[k];
    return named;
  };
}

const refused = (slug: string, title: string, detail: string, field: string) => new Problem(422, slug, title, detail, [{ path: [field], message: detail }]);

/** The .shp entries of the archive (not macOS's resource forks) and the one to read. */
function chosenShapefile(entries: Map<string, ZipEntry>, { fileLayer, preview }: ShapefileOptions, facts: FileFacts): string {
  const shps = [...entries.keys()].filter((n) => /\.shp$/i.test(n) && !n.startsWith("__MACOSX/"));
  const stem = (n: string) => posix.basename(n).slice(0, -4);
  if (shps.length === 0) throw new Error("the .zip holds no .shp file");
  const chosen = pickShapefile(shps, stem, fileLayer, preview);
  facts.fileLayers = { names: shps.map(stem), read: stem(chosen) };
  return chosen;
}

function pickShapefile(shps: string[], stem: (n: string) => string, fileLayer: string | undefined, preview = false): string {
  const names = shps.map(stem).join(", ");
  if (fileLayer !== undefined) {
    const chosen = shps.find((n) => stem(n) === fileLayer || n === fileLayer);
    if (!chosen)
      throw refused("no-such-file-layer", "No such shapefile", `the .zip holds no shapefile ${JSON.stringify(fileLayer)}; it holds ${names}`, "file_layer");
    return chosen;
  }
  if (shps.length > 1 && !preview)
    throw refused(
      "several-file-layers",
      "Several shapefiles",
      `the .zip holds ${shps.length} shapefiles (${names}): give file_layer=<one of them>`,
      "file_layer",
    );
  return shps[0]!;
}

/**
 * The features of the one shapefile in a .zip (.shp + .dbf; .prj for its coordinate system, .cpg for the
 * DBF's encoding, GBK without one, as Chinese ArcGIS writes), a batch at a time, numbered by record from 1.
 * The .prj becomes `facts.crs`; an empty or missing one is refused unless `crs=` is given, never guessed.
 */
export function readShapefile(bytes: AsyncIterable<Buffer>, options: ShapefileOptions, facts: FileFacts): AsyncGenerator<SourceRow[]> {
  return fromSpooledFile(bytes, "upload.zip", async function* (path) {
    const entries = await zipEntries(path);
    const shp = chosenShapefile(entries, options, facts);
    const base = shp.slice(0, -4);
    const sibling = (ext: string) => [...entries.values()].find((e) => e.name.toLowerCase() === `${base}.${ext}`.toLowerCase());
    const name = posix.basename(base);
    const tooLarge = () =>
      new Problem(413, "too-large", "Payload too large", `${name}: a part of the shapefile unpacks to more than ${DATA_BYTES / 1024 ** 3} GB`);
    const small = async (e: ZipEntry | undefined) => (e ? text(await entryStream(path, e, TEXT_BYTES, tooLarge)) : undefined);
    const dbfEntry = sibling("dbf");
    if (!dbfEntry) throw new Error(`${name}.shp has no ${name}.dbf beside it`);

    const cpg = (await small(sibling("cpg")))?.trim();
    const named = fullNames(await small([...entries.values()].find((e) => e.name === posix.join(posix.dirname(shp), "fields.txt"))));
    const codePage = cpg?.toLowerCase().replace(/^ansi\s*/, "");
    const encoding = options.encoding
      ? GIVEN[options.encoding]
      : codePage === undefined
        ? "gb18030"
        : Object.hasOwn(CODE_PAGES, codePage)
          ? CODE_PAGES[codePage]
          : undefined;
    if (encoding) facts.encoding = { name: encoding, detected: false };
    else
      throw refused(
        "unknown-encoding",
        "Unknown encoding",
        `${name}.cpg names the encoding ${JSON.stringify(cpg)}, which is not read here: give encoding=`,
        "encoding",
      );
    const source = await openShapefile(
      await entryStream(path, entries.get(shp)!, DATA_BYTES, tooLarge),
      await entryStream(path, dbfEntry, DATA_BYTES, tooLarge),
      { encoding: DECODER_LABEL[encoding] },
    );
    try {
      if (!options.crsGiven) {
        try {
          facts.crs = fileCrs(name, await small(sibling("prj")), source.bbox as Bbox);
        } catch (e) {
          if (!(options.preview && e instanceof Problem)) throw e;
          facts.crsProblem = e.detail;
        }
      }
      const dbfFlags = await entryStream(path, dbfEntry, DATA_BYTES, tooLarge); // the .dbf read a second time, beside the package's
      try {
        yield* rows(source, dbfDeleted(dbfFlags), named, (row, cells) => {
          for (const [field, v] of Object.entries(cells))
            if (typeof v === "string" && NOT_TEXT.test(v) && encoding !== "windows-1252")
              throw new UndecodableText({ encoding, detected: !options.encoding && !cpg }, row, field, v);
        });
      } finally {
        dbfFlags.destroy();
      }
    } finally {
      await source.cancel(); // an import refused half-way stops reading the entries
    }
  });
}

type Bbox = [number, number, number, number];

/** The .prj as a projection; none, or an empty one, refused saying what to give (and whether the file looks projected, from the .shp's bounding box). */
function fileCrs(name: string, prjText: string | undefined, [x0, y0, x1, y1]: Bbox) {
  const prj = prjText?.trim();
  if (prj) return wktProjection(prj, `${name}.prj`);
  const none = prj === undefined ? `there is no ${name}.prj` : `${name}.prj is empty`;
  const degrees = Math.max(Math.abs(x0), Math.abs(x1)) <= 180 && Math.max(Math.abs(y0), Math.abs(y1)) <= 90;
  const detail = degrees
    ? `${none}: the file does not say its coordinate system; give crs=wgs84 (or cgcs2000) if its coordinates are longitude and latitude, else crs=EPSG:<code>`
    : `${none} and the coordinates are not degrees (x ${x0.toFixed(0)}–${x1.toFixed(0)}, y ${y0.toFixed(0)}–${y1.toFixed(0)}): the file looks projected; give crs=EPSG:<code>, e.g. crs=EPSG:3826 (TWD97 / TM2 zone 121) or crs=EPSG:4547 (CGCS2000 3-degree Gauss-Kruger CM 114E)`;
  throw refused("no-crs", "Coordinate system not given", detail, "crs");
}

/** The shapefile's records in batches, numbered from 1, each checked by `check` (its text decoded); deleted ones left out, keeping their numbers. */
async function* rows(
  source: Awaited<ReturnType<typeof openShapefile>>,
  deleted: AsyncIterator<boolean>,
  named: (cells: Record<string, unknown>) => Record<string, unknown>,
  check: (row: number, cells: Record<string, unknown>) => void,
): AsyncGenerator<SourceRow[]> {
  let row = 0;
  let batch: SourceRow[] = [];
  for (let next = await source.read(); !next.done; next = await source.read()) {
    // past the DBF's last record: a broken pair (or a .shp inflating into garbage), not rows without attributes
    if (!next.value.properties) throw new Error(`the .shp holds more shapes than the ${row} records of the .dbf`);
    if ((await deleted.next()).value === true) {
      row++;
      continue;
    }
    const cells = named(next.value.properties);
    check(++row, cells);
    batch.push({ row, cells, geometry: next.value.geometry });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  yield batch;
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startDemoWorld, type World } from "../support/world.ts";
import { rawRequest, type RawRequest, type RawResponse } from "../support/raw_request.ts";
import { SAMPLES } from "../fixtures/features.ts";
import { LAYERS } from "../../server/layers/index.ts";
import { allFields } from "../../server/layers/layer.ts";
import { ident } from "../../server/sql/template.ts";

/**
 * Hostile input against every endpoint of the demo county: whatever arrives, the answer is a 2xx or a
 * 4xx problem with a detail, comes in time, shows no stack trace or SQL, and a refused request leaves
 * the database exactly as it was. `FUZZ_RUNS=full` sends at least 10,000 requests; the default ~1,500.
 */
const TOTAL = process.env.FUZZ_RUNS === "full" ? 10_500 : Number(process.env.FUZZ_RUNS ?? 1_500);
const TIMEOUT_MS = 20_000;

let w: World;
let sent = 0;
const statuses = new Map<number, number>();
beforeAll(async () => {
  w = await startDemoWorld();
  baseline = await fingerprint();
});
afterAll(async () => {
  console.log(`[fuzz] ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  await w?.close();
});

// ---- the database's fingerprint: what any write, however small, changes ----

const WRITABLE = LAYERS.filter((l) => !l.readOnly);
const FINGERPRINT_SQL = [
  ...WRITABLE.map(
    (l) => `SELECT '${l.name}' AS t, count(*)::text || '/' || coalesce(max(version), 0) || '/' || coalesce(sum(version), 0) AS f FROM ${ident(l.table)}`,
  ),
  `SELECT 'stock', count(*)::text || '/' || coalesce(sum(quantity), 0) || '/' || coalesce(sum(reorder_level), 0) || '/' || coalesce(sum(hashtext(coalesce(expires_on::text, ''))), 0) FROM depot_stock`,
  `SELECT 'items', count(*)::text FROM items`,
  `SELECT 'users', count(*)::text || '/' || coalesce(sum(hashtext(concat_ws('|', username, display_name, password_hash, roles::text, townships::text, disabled))), 0) FROM users`,
  `SELECT 'tokens', count(*)::text || '/' || count(revoked_at) FROM api_tokens`,
  // exports and import attempts are recorded whether or not anything is written; every other entry is a write
  `SELECT 'audit', count(*)::text FROM audit WHERE action IN ('insert', 'update', 'delete')`,
].join(" UNION ALL ");

let baseline: string;
const fingerprint = async () => JSON.stringify((await w.db.raw(FINGERPRINT_SQL)).rows);

// ---- hostile values ----

/** A number that JSON.stringify cannot write (1e309 parses to Infinity), kept as raw JSON text. */
class Raw {
  constructor(readonly text: string) {}
}
const json = (v: unknown): string => {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(json).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${json(x)}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
};

const SQL_META = [
  "'",
  "''",
  ";--",
  "%",
  "_",
  "\\",
  "$$",
  "$1",
  "' or '1'='1",
  "'; drop table shelters;--",
  "1' union select null--",
  '"',
  "/*",
  "*/",
  "%%",
  "\\'",
  "E'\\x00'",
  ":name",
  "?",
];
const UNICODE = [
  "\u0000",
  "\uD800",
  "\uDFFF",
  "\uDBFF\uDFFF",
  "\u202E",
  "\u200F",
  "مرحبا",
  "שלום",
  "😀",
  "👩‍👩‍👧",
  "\uFEFF",
  "\uFFFE",
  "应急",
  "１２３",
  "٣",
  "\n",
  "\r\n",
  "\t",
  " ",
  "",
  "𝕏",
  "ñ",
  "İ",
];
const NUMERIC_TEXT = [
  "NaN",
  "-NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-1e309",
  "1e-400",
  "0x10",
  "1_000",
  "9".repeat(400),
  "-0",
  "1.5",
  "-1",
  "0",
  "2147483648",
  "9007199254740993",
  "1e5",
  " 5",
  "5 ",
  "+5",
  "1,2",
  "true",
  "null",
  "[]",
  "{}",
];

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("\u0000", "a\u0000b", "'", "\uD800", "%_\\") },
  { weight: 4, arbitrary: fc.constantFrom(...SQL_META, ...UNICODE, ...NUMERIC_TEXT) },
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...SQL_META, ...UNICODE), { minLength: 1, maxLength: 6 }).map((a) => a.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 2_000 }).map((n) => "ж".repeat(n)) },
);
const hostileNumber = fc.oneof(
  fc.constantFrom(
    new Raw("1e309"),
    new Raw("-1e309"),
    new Raw("1e-400"),
    new Raw("-0"),
    new Raw("123456789012345678901234567890"),
    1e308,
    -1e308,
    2 ** 53 + 2,
    -(2 ** 31),
    0.5,
    -1,
    0,
  ),
  fc.double(),
  fc.integer(),
);
const hostileScalar = fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true, false));
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(
      hostileString.filter((k) => !(k in Object.prototype)),
      tie("v"),
      { maxKeys: 3, noNullPrototype: true },
    ),
  ),
})).v;
const hostileCoordinates = fc.oneof(
  fc.tuple(hostileNumber, hostileNumber),
  fc.array(hostileNumber, { maxLength: 5 }),
  fc.array(fc.tuple(hostileNumber, hostileNumber), { maxLength: 5 }),
  hostileJson,
);

/** A query-string value as text: plausible, hostile text or a number-like string. */
const hostileText = fc.oneof(hostileString, fc.constantFrom(...NUMERIC_TEXT));

// ---- encoding what we generate, exactly ----

/** UTF-8, except that a lone surrogate is written as its own three bytes (not U+FFFD): the server sees it. */
function wtf8(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) (c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)), i++;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(out);
}
const pct = (s: string) =>
  [...wtf8(s)]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");

/** Broken escapes the percent-decoder must survive. */
const BROKEN_ESCAPES = ["%", "%zz", "%E4%B8", "%00", "%C0%AF", "%FF", "%%41", "%u0041"];

// ---- the endpoints, each one entry ----

const layerNames = LAYERS.map((l) => l.name);
const writableNames = WRITABLE.map((l) => l.name);
const tiledNames = LAYERS.filter((l) => l.tiles).map((l) => l.name);
const fieldNames = [...new Set(LAYERS.flatMap((l) => Object.keys(allFields(l))))];

/** A path segment: usually a real one, sometimes anything. */
const segment = (real: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: real.map(pct) },
    { weight: 2, arbitrary: hostileText.map(pct) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ESCAPES, "..", ".", "%2e%2e", "%2F") },
  );
const id = fc.oneof(fc.integer({ min: 1, max: 320 }).map(String), fc.constantFrom("0", "-1", "999999999999999", "99999999999999999999", "1.5", "1e3", "0x1"));
const layer = fc.constantFrom(...layerNames);
/** OGC collections: the layers, and those serving one geometry type of a mixed layer (hazards-points …). */
const collection = fc.constantFrom(...layerNames, "hazards-points", "hazards-lines", "hazards-areas");

const plausible: Record<string, fc.Arbitrary<string>> = {
  lon: fc.double({ min: 103, max: 106, noNaN: true }).map(String),
  lat: fc.double({ min: 29, max: 32, noNaN: true }).map(String),
  bbox: fc
    .tuple(
      fc.double({ min: -180, max: 180, noNaN: true }),
      fc.double({ min: -90, max: 90, noNaN: true }),
      fc.double({ min: -180, max: 180, noNaN: true }),
      fc.double({ min: -90, max: 90, noNaN: true }),
    )
    .map((b) => b.join(",")),
  limit: fc.integer({ min: -5, max: 20_000 }).map(String),
  offset: fc.integer({ min: -5, max: 1_000 }).map(String),
  after: fc.integer({ min: -5, max: 1_000 }).map(String),
  q: fc.constantFrom("村", "镇", "a", "%", "_"),
  layer: fc.constantFrom(...layerNames, "shelters", "depots", "teams"),
  radius_m: fc.integer({ min: -1, max: 30_000_000 }).map(String),
  max_distance_m: fc.integer({ min: -1, max: 30_000_000 }).map(String),
  min_quantity: fc.integer({ min: -1, max: 1000 }).map(String),
  min_free_capacity: fc.integer({ min: -1, max: 1000 }).map(String),
  item: fc.constantFrom("tent", "quilt", "water", "unicorn"),
  specialty: fc.constantFrom("hazmat", "rope_rescue"),
  status: fc.constantFrom("standby", "open", "deployed"),
  township: fc.constantFrom("510199101000", "1", "51019910100x"),
  open_only: fc.constantFrom("true", "false", "yes"),
  include_unusable: fc.constantFrom("true", "false", "yes"),
  hazard_id: fc.constantFrom("1", "7", "999999", "0"),
  low: fc.constantFrom("true", "false", "1"),
  expires_before: fc.constantFrom("2027-01-01", "2027-02-30", "tomorrow"),
  format: fc.constantFrom("geojson", "csv", "kml", "shp", "gpkg", "xlsx", "shapefile", "geopackage", "pdf"),
  crs: fc.constantFrom("wgs84", "gcj02", "bd09", "cgcs2000", "epsg:3857", "EPSG:4547", "EPSG:0", "EPSG:"),
  file_layer: fc.constantFrom("roads", "../etc/passwd", '"; DROP TABLE roads; --'),
  dry_run: fc.constantFrom("true", "false"),
  encoding: fc.constantFrom("utf-8", "gbk", "gb18030", "latin1"),
  f: fc.constantFrom("json", "html", "xml"),
  resultType: fc.constantFrom("results", "hits", "count"),
  datetime: fc.constantFrom("2026-01-01", ".."),
  "bbox-crs": fc.constantFrom("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
  kind: fc.constantFrom("chemical_plant", "volcano"),
  risk_level: fc.constantFrom("1", "1,2", "5"),
  name: fc.constantFrom("村", "x"),
  actor: fc.constantFrom("tester", "postgres"),
  action: fc.constantFrom("insert", "update", "export", "steal"),
  entity: fc.constantFrom("shelters", "users"),
  entity_id: fc.constantFrom("1", "x"),
  since: fc.constantFrom("2026-01-01T00:00:00Z", "yesterday"),
  until: fc.constantFrom("2030-01-01T00:00:00+08:00", "2030-13-01"),
  before: fc.constantFrom("10", "-1"),
};

const plausibleOf = (k: string) => (Object.hasOwn(plausible, k) ? plausible[k]! : hostileText);

/**
 * A query string: a valid one with one value made hostile (so the hostile value gets past the other
 * checks and reaches the SQL), or known and unknown parameters at random, repeated, junk, or 100 KB of it.
 */
function queryOf(required: string[], optional: string[], fixed: string): fc.Arbitrary<string> {
  const names = [...required, ...optional];
  const mutant = fc
    .record({ extra: fc.subarray(optional, { maxLength: Math.min(2, optional.length) }), victim: fc.nat(), bad: hostileText })
    .chain(({ extra, victim, bad }) => {
      const present = [...required, ...extra];
      if (present.length === 0) return fc.constant(names.length ? `${pct(names[victim % names.length]!)}=${pct(bad)}` : "");
      return fc
        .tuple(...present.map(plausibleOf))
        .map((values) => present.map((n, i) => `${pct(n)}=${pct(i === victim % present.length ? bad : values[i]!)}`).join("&"));
    });
  const known = fc.constantFrom(...names, ...fieldNames); // every layer's filters, known here or not
  const value = (k: string) =>
    fc.oneof(
      { weight: 3, arbitrary: plausibleOf(k).map(pct) },
      { weight: 2, arbitrary: hostileText.map(pct) },
      { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ESCAPES) },
    );
  const pair = fc.oneof({ weight: 6, arbitrary: known }, { weight: 1, arbitrary: hostileText }).chain((k) => value(k).map((v) => `${pct(k)}=${v}`));
  const pairs = fc.array(pair, { maxLength: 6 });
  const repeated = pairs.chain((ps) => fc.constant([...ps, ...ps])); // ?limit=1&limit=1
  return fc
    .oneof(
      { weight: 30, arbitrary: mutant },
      { weight: 15, arbitrary: pairs.map((ps) => ps.join("&")) },
      { weight: 6, arbitrary: repeated.map((ps) => ps.join("&")) },
      {
        weight: 3,
        arbitrary: fc.constantFrom("&&&", "=", "==x", "a", "a[b]=1", "a[]=1&a[]=2", "__proto__=1", "constructor[prototype]=1", "limit", "limit=1&limit=2"),
      },
      { weight: 1, arbitrary: fc.constantFrom(...names, "x").map((k) => `${pct(k)}=${"9".repeat(100_000)}`) },
    )
    .map((q) => [fixed, q].filter(Boolean).join("&"))
    .map((q) => (q ? `?${q}` : ""));
}

/** A deep copy that keeps Raw numbers (structuredClone would turn them into plain objects). */
const clone = (v: unknown): unknown =>
  v instanceof Raw || v === null || typeof v !== "object"
    ? v
    : Array.isArray(v)
      ? v.map((x) => clone(x))
      : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));

/** Put `value` at a random place in `doc` (its root, any key or element, or a new key). */
function mutate(doc: unknown, where: number, value: unknown): unknown {
  const places: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const copy = clone(doc);
  const seen = new Set<unknown>();
  for (const pending = [copy]; pending.length > 0; ) {
    const v = pending.pop();
    if (v === null || typeof v !== "object" || v instanceof Raw || seen.has(v)) continue;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      places.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      pending.push(x);
    }
  }
  const at = where % (places.length + 2);
  if (at < places.length) {
    const p = places[at]!;
    (p.parent as Record<string | number, unknown>)[p.key] = value;
    return copy;
  }
  return at > places.length && copy !== null && typeof copy === "object" && !Array.isArray(copy) ? { ...copy, extra: value } : value;
}

const NESTING = 10_000;
/** A JSON body: the plausible one with hostile values put in, or malformed, nested 10,000 deep, of the wrong kind, or over 10 MB. */
function bodyOf(template: fc.Arbitrary<unknown>): fc.Arbitrary<string | Buffer> {
  const mutated = fc
    .tuple(template, fc.array(fc.tuple(fc.nat(), fc.oneof(hostileJson, hostileCoordinates)), { maxLength: 3 }))
    .map(([doc, changes]) => json(changes.reduce((d, [at, v]) => mutate(d, at, v), doc)));
  return fc.oneof(
    { weight: 10, arbitrary: mutated },
    { weight: 2, arbitrary: fc.tuple(template.map(json), fc.nat()).map(([t, cut]) => t.slice(0, cut % Math.max(t.length, 1))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "{",
        "}",
        "[",
        "nul",
        "{'a':1}",
        '{"a":1,}',
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"__proto__":{"x":1}}',
        '{"a":1}{"b":2}',
        "\u0000",
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "[".repeat(NESTING) + "]".repeat(NESTING),
        '{"a":'.repeat(NESTING) + "1" + "}".repeat(NESTING),
        '{"geometry":{"type":"Point","coordinates":' + "[".repeat(NESTING) + "]".repeat(NESTING) + "}}",
        '{"properties":' + '{"name":'.repeat(NESTING) + '"x"' + "}".repeat(NESTING) + "}",
      ),
    },
    { weight: 1, arbitrary: hostileScalar.map(json) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), Buffer.from('{"name":"\xff\xc0\xaf"}', "latin1")) },
    { weight: 1, arbitrary: fc.constantFrom(`{"name":"${"x".repeat(11 * 1024 * 1024)}"}`) },
  );
}

const CONTENT_TYPES = [
  "application/json",
  "application/geo+json",
  "application/merge-patch+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/xml",
  "",
  "*/*",
];
const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant("application/json") }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
const ifMatch = fc.oneof(
  fc.constantFrom('"1"', '"2"', "1", "*", 'W/"1"', '"99999999999"', '"1", "2"', "", '"\'; drop table x;--"', '"-1"', '"1e3"'),
  fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
);

const feature = (layerName: string) => fc.constant(SAMPLES[layerName]?.feature ?? SAMPLES.shelters!.feature);
const anyFeature = fc.constantFrom(...Object.values(SAMPLES).map((s) => s.feature));
const patchBody = fc.constantFrom(...Object.values(SAMPLES).map((s) => ({ properties: s.patch }) as unknown), {
  geometry: { type: "Point", coordinates: [104.2, 30.8] },
});
const stockBody = fc.constant({
  rows: [
    { item: "tent", quantity: 10, reorder_level: 2, expires_on: "2027-01-01" },
    { item: "water", quantity: 5 },
  ],
});
const supplyBody = fc.constant({ lon: 104.2, lat: 30.8, items: [{ item: "tent", quantity: 300 }], max_distance_m: 50_000 });
const sitesBody = fc.constant({ layer: "shelters", radius_m: 5000, count: 3 });
const evacuationBody = fc.constantFrom(
  { area: { lon: 104.2, lat: 30.8, radius_m: 3000 }, max_distance_m: 20_000 },
  { area: { hazard_id: 7 } },
  {
    area: {
      type: "Polygon",
      coordinates: [
        [
          [104.1, 30.7],
          [104.3, 30.7],
          [104.3, 30.9],
          [104.1, 30.7],
        ],
      ],
    },
  },
);
const userBody = fc.constantFrom(
  { username: "fuzz.user", password: "a long enough password", roles: ["viewer"], townships: ["*"] },
  { username: "x", password: "short", roles: ["god"] },
);
const userChanges = fc.constantFrom(
  { roles: ["viewer", "planner"] },
  { display_name: "模糊" },
  { townships: ["510199101000"] },
  { password: "another long password" },
);
/** An account or token id, never the tester's own (1): revoking or changing it would end the run's access. */
const otherId = fc.oneof(fc.integer({ min: 2, max: 50 }).map(String), fc.constantFrom("0", "-1", "1.5", "99999999999999999999"));
const importFile = fc.oneof(
  anyFeature.map((f) => ({ type: "FeatureCollection", features: [f] }) as unknown),
  fc.constant({ type: "FeatureCollection", features: [] } as unknown),
);
/** A CSV import of shelters: valid rows with one cell made hostile (the import reads a raw body, not JSON). */
const csvFile = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom("避难点", "x"), fc.integer({ min: 0, max: 5000 }).map(String), plausible.lon!, plausible.lat!), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.nat(),
    hostileText,
  )
  .map(([rows, at, bad]) => {
    const cells = rows.flat();
    cells[at % cells.length] = bad;
    const quoted = cells.map((c) => `"${c.replaceAll('"', '""')}"`);
    return ["name,capacity,lon,lat", ...rows.map((_, i) => quoted.slice(i * 4, i * 4 + 4).join(","))].join("\r\n");
  });

interface Endpoint {
  name: string;
  method: string;
  path: fc.Arbitrary<string>;
  /** Parameters a valid request has, and those it may have (plausible values from `plausible`); with
   * neither but `fixed`, the query string is left alone and only the body varies. */
  required?: string[];
  params?: string[];
  /** Query parameters every request of this entry starts with, e.g. `layer=depots`. */
  fixed?: string;
  body?: fc.Arbitrary<string | Buffer>;
  ifMatch?: boolean;
  /** Share of the requests, relative (1 = an ordinary endpoint). */
  weight?: number;
}

const path = (...parts: (string | fc.Arbitrary<string>)[]) =>
  fc.tuple(...parts.map((p) => (typeof p === "string" ? fc.constant(p) : segment(p)))).map((ps) => ps.join("/"));
/** The list query's own parameters and the filters that take text (others come in at random). */
const listParams = ["bbox", "limit", "offset", "q", "name", "code", "status", "kind", "risk_level", "township_code", "specialties"];

const ENDPOINTS: Endpoint[] = [
  { name: "GET /healthz", method: "GET", path: fc.constant("/healthz"), params: [], weight: 0.3 },
  { name: "GET /readyz", method: "GET", path: fc.constant("/readyz"), params: [], weight: 0.3 },
  { name: "GET openapi.json", method: "GET", path: fc.constant("/api/v1/openapi.json"), params: [], weight: 0.3 },
  { name: "GET layers", method: "GET", path: fc.constant("/api/v1/layers"), params: [], weight: 0.5 },
  { name: "GET features", method: "GET", path: path("/api/v1/layers", layer, "features"), params: listParams, weight: 3 },
  { name: "GET feature", method: "GET", path: path("/api/v1/layers", layer, "features", id), params: [] },
  {
    name: "POST feature",
    method: "POST",
    path: path("/api/v1/layers", layer, "features"),
    body: bodyOf(fc.constantFrom(...writableNames).chain(feature)),
    weight: 4,
  },
  { name: "PATCH feature", method: "PATCH", path: path("/api/v1/layers", layer, "features", id), body: bodyOf(patchBody), ifMatch: true, weight: 3 },
  { name: "DELETE feature", method: "DELETE", path: path("/api/v1/layers", layer, "features", id), ifMatch: true },
  {
    name: "POST login",
    method: "POST",
    path: fc.constant("/api/v1/auth/login"),
    body: bodyOf(fc.constant({ username: "zhang.wei", password: "not the password" })),
    weight: 0.5,
  },
  { name: "GET me", method: "GET", path: fc.constant("/api/v1/auth/me"), params: [], weight: 0.3 },
  { name: "POST logout", method: "POST", path: fc.constant("/api/v1/auth/logout"), body: bodyOf(fc.constant({})), weight: 0.3 },
  { name: "GET tokens", method: "GET", path: fc.constant("/api/v1/auth/tokens"), params: [], weight: 0.3 },
  { name: "POST token", method: "POST", path: fc.constant("/api/v1/auth/tokens"), body: bodyOf(fc.constant({ name: "fuzz" })), weight: 0.5 },
  { name: "DELETE token", method: "DELETE", path: path("/api/v1/auth/tokens", otherId), weight: 0.5 },
  { name: "GET users", method: "GET", path: fc.constant("/api/v1/users"), params: [], weight: 0.3 },
  { name: "POST user", method: "POST", path: fc.constant("/api/v1/users"), body: bodyOf(userBody) },
  { name: "PATCH user", method: "PATCH", path: path("/api/v1/users", otherId), body: bodyOf(userChanges) },
  {
    name: "GET audit",
    method: "GET",
    path: fc.constant("/api/v1/audit"),
    params: ["actor", "action", "entity", "entity_id", "since", "until", "before", "limit"],
  },
  { name: "GET items", method: "GET", path: fc.constant("/api/v1/items"), params: [], weight: 0.3 },
  { name: "GET stock", method: "GET", path: fc.constant("/api/v1/stock"), params: ["item", "low", "expires_before"] },
  { name: "GET depot stock", method: "GET", path: path("/api/v1/depots", id, "stock"), params: [] },
  { name: "PUT depot stock", method: "PUT", path: path("/api/v1/depots", id, "stock"), body: bodyOf(stockBody), ifMatch: true, weight: 2 },
  {
    name: "GET nearest depots",
    method: "GET",
    path: fc.constant("/api/v1/nearest"),
    fixed: "layer=depots",
    required: ["lon", "lat"],
    params: ["limit", "max_distance_m", "item", "min_quantity"],
    weight: 2,
  },
  {
    name: "GET nearest teams",
    method: "GET",
    path: fc.constant("/api/v1/nearest"),
    fixed: "layer=teams",
    required: ["lon", "lat"],
    params: ["limit", "max_distance_m", "specialty", "status"],
    weight: 2,
  },
  {
    name: "GET nearest shelters",
    method: "GET",
    path: fc.constant("/api/v1/nearest"),
    fixed: "layer=shelters",
    required: ["lon", "lat"],
    params: ["limit", "max_distance_m", "status", "min_free_capacity", "include_unusable"],
  },
  {
    name: "GET nearest from a hazard",
    method: "GET",
    path: fc.constant("/api/v1/nearest"),
    fixed: "layer=shelters",
    required: ["hazard_id"],
    params: ["limit", "max_distance_m", "status", "min_free_capacity", "include_unusable"],
  },
  {
    name: "GET nearest (any layer)",
    method: "GET",
    path: fc.constant("/api/v1/nearest"),
    required: ["lon", "lat", "layer"],
    params: ["limit", "max_distance_m", "item", "min_quantity", "specialty", "status", "min_free_capacity", "by", "direction", "avoid_hazards"],
  },
  {
    name: "GET service-area",
    method: "GET",
    path: fc.constant("/api/v1/service-area"),
    required: ["layer", "minutes"],
    params: ["id", "direction", "avoid_hazards"],
  },
  { name: "POST supply-plan", method: "POST", path: fc.constant("/api/v1/supply-plan"), body: bodyOf(supplyBody), weight: 2 },
  {
    name: "GET coverage-gaps",
    method: "GET",
    path: fc.constant("/api/v1/coverage-gaps"),
    required: ["layer", "radius_m"],
    params: ["township", "bbox", "open_only"],
    weight: 2,
  },
  { name: "POST site-suggestions", method: "POST", path: fc.constant("/api/v1/site-suggestions"), body: bodyOf(sitesBody), weight: 2 },
  { name: "GET shelter-capacity", method: "GET", path: fc.constant("/api/v1/shelter-capacity"), required: ["radius_m"], params: ["township"] },
  { name: "POST evacuation-plan", method: "POST", path: fc.constant("/api/v1/evacuation-plan"), body: bodyOf(evacuationBody), weight: 2 },
  { name: "GET exposure", method: "GET", path: path("/api/v1/hazards", id, "exposure"), params: [] },
  { name: "GET changes", method: "GET", path: fc.constant("/api/v1/changes"), params: [], weight: 0.3 },
  {
    name: "GET tile (all)",
    method: "GET",
    path: path(
      "/tiles/all",
      fc.nat(25).map(String),
      fc.nat(70_000).map(String),
      fc.nat(70_000).map((n) => `${n}.mvt`),
    ),
    params: [],
  },
  {
    name: "GET tile",
    method: "GET",
    path: path(
      "/tiles",
      fc.constantFrom(...tiledNames, ...layerNames),
      fc.nat(25).map(String),
      fc.nat(70_000).map(String),
      fc.nat(70_000).map((n) => `${n}.mvt`),
    ),
    params: [],
  },
  { name: "GET TileJSON", method: "GET", path: fc.oneof(fc.constantFrom(...layerNames), hostileText).map((l) => `/tiles/${pct(l)}.json`), params: [] },
  // interchange (server/formats, server/import, server/ogc)
  { name: "GET export", method: "GET", path: path("/api/v1/layers", layer, "export"), required: ["format"], params: listParams, weight: 2 },
  {
    name: "POST import",
    method: "POST",
    path: path("/api/v1/layers", layer, "import"),
    required: ["format"],
    params: ["crs", "dry_run", "encoding", "file_layer"],
    body: bodyOf(importFile),
  },
  {
    name: "POST import GeoJSON",
    method: "POST",
    path: fc.constant("/api/v1/layers/shelters/import"),
    fixed: "format=geojson",
    body: bodyOf(fc.constant({ type: "FeatureCollection", features: [SAMPLES.shelters!.feature] })),
    weight: 2,
  },
  { name: "POST import CSV", method: "POST", path: fc.constant("/api/v1/layers/shelters/import"), fixed: "format=csv", body: csvFile, weight: 2 },
  {
    name: "GET ogc landing",
    method: "GET",
    path: fc.constantFrom("/ogc", "/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/style.css"),
    params: ["f"],
  },
  { name: "GET ogc collection", method: "GET", path: path("/ogc/collections", collection), params: ["f"] },
  { name: "GET ogc queryables", method: "GET", path: path("/ogc/collections", collection, "queryables"), params: ["f"] },
  {
    name: "GET ogc items",
    method: "GET",
    path: path("/ogc/collections", collection, "items"),
    params: ["f", "limit", "after", "resultType", "datetime", "bbox-crs", ...listParams],
    weight: 2,
  },
  { name: "GET ogc item", method: "GET", path: path("/ogc/collections", collection, "items", id), params: ["f"] },
  // what is not there, and methods an endpoint does not take
  {
    name: "unknown paths and methods",
    method: "GET",
    path: fc.tuple(fc.constantFrom("/", "/api/v1/", "/tiles/", "/ogc/", "/assets/"), hostileText).map(([p, s]) => p + pct(s)),
    params: [],
  },
  {
    name: "wrong methods",
    method: "PUT",
    path: fc.constantFrom("/api/v1/nearest", "/api/v1/layers", "/healthz", "/tiles/shelters.json", "/ogc/collections", "/api/v1/layers/shelters/export"),
    body: bodyOf(supplyBody),
    weight: 0.5,
  },
];

/** One generated request for an endpoint. */
function requestsFor(e: Endpoint): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      path: e.path,
      query: e.fixed && !e.params && !e.required ? fc.constant(`?${e.fixed}`) : queryOf(e.required ?? [], e.params ?? [], e.fixed ?? ""),
      body: e.body ?? fc.constant(undefined),
      type: contentType,
      ifMatch: e.ifMatch ? fc.option(ifMatch, { nil: undefined, freq: 4 }) : fc.constant(undefined),
      accept: fc.constantFrom("*/*", "application/json", "text/html", "image/png", ""),
    })
    .map(({ path: p, query, body, type, ifMatch: m, accept }) => ({
      method: e.method,
      path: p + query,
      body,
      headers: {
        // signed in with every role, so each request reaches the code behind the door
        authorization: `Bearer ${w.token}`,
        ...(body !== undefined && type ? { "content-type": type } : {}),
        ...(m !== undefined ? { "if-match": m } : {}),
        ...(accept ? { accept } : {}),
      },
    }));
}

// ---- what every answer must be ----

const STACK = /\bat [\w$.<>[\] ]+ \((?:file:|node:|\/)|file:\/\/\/|node:internal|node_modules\/|\/work\/|(?:server|test)\/[\w/]+\.ts\b/;
const SQL =
  /syntax error at or near|invalid input syntax|violates [\w ]*constraint|relation "[^"]*" does not exist|column "[^"]*" does not exist|current transaction is aborted|unterminated quoted|invalid byte sequence|duplicate key value|\bSELECT\s|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE "?\w+"? SET\b|\bST_[A-Z]\w*\(/;

async function expectSafeAnswer(r: RawRequest, res: RawResponse) {
  const body = r.body === undefined ? "" : ` ${JSON.stringify(String(r.body).slice(0, 200))}`;
  const what = `${r.method} ${r.path.slice(0, 300)}${body} → ${res.status} ${res.text?.slice(0, 300)}`;
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text ?? "null");
    expect(problem, what).toMatchObject({ status: res.status, detail: expect.any(String) });
  }
  if (res.text !== undefined) {
    expect(res.text, what).not.toMatch(STACK);
    expect(res.text, what).not.toMatch(SQL);
  }
}

/** A write the server accepted may change the database; nothing else may. */
async function expectDatabaseUnchangedUnlessAccepted(r: RawRequest, res: RawResponse) {
  const now = await fingerprint();
  const accepted = r.method !== "GET" && res.status >= 200 && res.status < 300;
  if (!accepted) expect(now, `${r.method} ${r.path.slice(0, 300)} → ${res.status} changed the database`).toBe(baseline);
  baseline = now;
}

/** What the generated requests found, kept as fixed cases so they stay fixed. */
const FOUND: RawRequest[] = [
  { method: "GET", path: "/api/v1/stock?item=%00" },
  { method: "GET", path: "/api/v1/nearest?layer=shelters&lon=103&lat=29&status=%00" },
  { method: "GET", path: "/api/v1/nearest?layer=depots&lon=103&lat=29&item=tent&min_quantity=2147483648" },
  { method: "GET", path: "/api/v1/nearest?lon=103&lat=0&layer=hazards" }, // lines and areas among the nearest
  {
    method: "POST",
    path: "/api/v1/layers/shelters/features",
    headers: { "content-type": "application/json" },
    body: '{"geometry":{"type":"Point","coordinates":[104,30]},"properties":{"name":"x","capacity":2147483648}}',
  },
  {
    method: "POST",
    path: "/api/v1/layers/shelters/import?format=csv",
    headers: { "content-type": "text/csv" },
    body: 'name,capacity,lon,lat\r\n"a\u0000b","10","104.1","30.5"',
  },
  {
    method: "POST",
    path: "/api/v1/layers/shelters/import?format=csv",
    headers: { "content-type": "text/csv" },
    body: 'name,capacity,lon,lat\r\n"x","2147483648","103","29"',
  },
  // a lone surrogate as a column name, quoted in the import's audit entry
  {
    method: "POST",
    path: "/api/v1/layers/shelters/import?format=geojson",
    body: '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[104.25,30.85]},"properties":{"\\ud800":0,"a\\u0000":1}}]}',
  },
];

const totalWeight = ENDPOINTS.reduce((s, e) => s + (e.weight ?? 1), 0);

describe("hostile input: every endpoint answers 2xx or a 4xx problem, in time, leaks nothing, and refused writes change nothing", () => {
  it.each(FOUND)("found before: $method $path", async (r) => {
    const res = await rawRequest(w.base, { ...r, headers: { authorization: `Bearer ${w.token}`, ...r.headers } }, TIMEOUT_MS);
    await expectSafeAnswer(r, res);
    await expectDatabaseUnchangedUnlessAccepted(r, res);
  });

  for (const e of ENDPOINTS) {
    const runs = Math.max(10, Math.round((TOTAL * (e.weight ?? 1)) / totalWeight));
    it(`${e.name} (${runs} requests)`, async () => {
      const out = await fc.check(
        fc.asyncProperty(requestsFor(e), async (r) => {
          const res = await rawRequest(w.base, r, TIMEOUT_MS);
          sent++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          await expectSafeAnswer(r, res);
          await expectDatabaseUnchangedUnlessAccepted(r, res);
        }),
        { numRuns: runs },
      );
      // the shrunk request, cut short: a 100 KB counterexample would bury the reason
      if (out.failed) throw new Error(`seed ${out.seed}, after ${out.numRuns} requests: ${String(out.errorInstance).slice(0, 2000)}`);
    }, 600_000);
  }
});

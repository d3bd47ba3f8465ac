import type { Db } from "../db.ts";
import { featureCollection, featureJson } from "../sql/feature_json.ts";
import { collectionRows, type FeatureCollection } from "./feature_collections.ts";
import { MEDIA, href, type Link } from "./links.ts";
import type { ItemsQuery } from "./params.ts";

/**
 * numberMatched is optional (Part 1 /req/core/fc-response) and must never be wrong, but an exact
 * count(*) of a million villages takes 60–150 ms, far more than a page. So it is counted only up to
 * this many rows (an index scan that stops early, about a millisecond; 100,000 took 7–60 ms here,
 * depending on load) and omitted above. A page showing the end of an offset-paged selection gives
 * it for free, and `resultType=hits` counts exactly on request (GDAL asks so for a feature count).
 */
export const COUNT_CAP = 10_000;

export interface ItemsPage {
  features: string[];
  numberMatched?: number;
  /** Id of the last feature when more follow. */
  nextAfter?: number;
  /** Where the previous page starts: an offset, or after an id (null: from the start). */
  prev?: { offset: number; after?: number } | { offset: 0; after: null };
}

async function countUpToCap(db: Db, c: FeatureCollection, q: ItemsQuery): Promise<number | undefined> {
  const capped = collectionRows(db, c, q)
    .select(db.raw("1"))
    .limit(COUNT_CAP + 1)
    .as("s");
  const [row] = await db.from(capped).count<{ n: string }[]>("* as n");
  const n = Number(row!.n);
  return n <= COUNT_CAP ? n : undefined;
}

/** The start of the `limit` features before the first one after `after`: an id to page after, or null for the very start. */
async function previousAfter(db: Db, c: FeatureCollection, q: ItemsQuery & { after: number }): Promise<number | null | undefined> {
  const before = collectionRows(db, c, q)
    .where("t.id", "<=", q.after)
    .select("t.id")
    .orderBy("t.id", "desc")
    .limit(q.limit + 1)
    .as("b");
  const [row] = await db.from(before).select(db.raw("min(id) AS first, count(*)::int AS n"));
  const { first, n } = row as { first: string | null; n: number };
  if (n === 0) return undefined;
  return n > q.limit ? Number(first) : null;
}

/** One page of a collection's items in id order, as GeoJSON Feature texts built by PostgreSQL. */
/**
 * `omit`: attributes left out of each Feature (those the asker may not see). An empty list is sent as
 * null: QGIS types a property from the first values it reads, and a `[]` makes it a JSON field that
 * drops every list after it.
 */
export async function readItems(db: Db, c: FeatureCollection, q: ItemsQuery, omit?: ReadonlySet<string>): Promise<ItemsPage> {
  const { layer } = c;
  if (q.resultType === "hits") {
    const [row] = await collectionRows(db, c, q).count<{ n: string }[]>("* as n");
    return { features: [], numberMatched: Number(row!.n) };
  }
  const selection = collectionRows(db, c, q)
    .orderBy("t.id")
    .limit(q.limit + 1);
  if (q.after !== undefined) selection.where("t.id", ">", q.after);
  const feature = db.raw(`${itemJson(c, omit)} AS feature`);
  // past an offset, ids first and JSON after: PostgreSQL would otherwise build the Feature of every row it skips
  const rows: { feature: string; id: string }[] = await (q.offset === 0
    ? selection.select(feature, "t.id")
    : db(`${layer.table} as t`)
        .whereRaw("t.id = ANY(ARRAY(?))", [selection.select("t.id").offset(q.offset)])
        .select(feature, "t.id")
        .orderBy("t.id"));
  const more = rows.length > q.limit;
  if (more) rows.pop();
  const reachedEnd = q.after === undefined && !more && (rows.length > 0 || q.offset === 0);
  const [numberMatched, prevAfter] = await Promise.all([
    reachedEnd ? q.offset + rows.length : countUpToCap(db, c, q),
    q.after !== undefined && q.offset === 0 ? previousAfter(db, c, q as ItemsQuery & { after: number }) : undefined,
  ]);
  let prev: ItemsPage["prev"];
  if (q.offset > 0) prev = { offset: Math.max(0, q.offset - q.limit), ...(q.after !== undefined ? { after: q.after } : {}) };
  else if (prevAfter !== undefined) prev = prevAfter === null ? { offset: 0, after: null } : { offset: 0, after: prevAfter };
  return { features: rows.map((r) => r.feature), numberMatched, nextAfter: more ? Number(rows.at(-1)!.id) : undefined, prev };
}

/** One item of the collection (undefined when the id is not there, or is another geometry type). */
export async function readItem(db: Db, c: FeatureCollection, id: number, omit?: ReadonlySet<string>): Promise<string | undefined> {
  const row = await collectionRows(db, c, { filters: {} })
    .where("t.id", id)
    .first(db.raw(`${itemJson(c, omit)} AS feature`));
  return (row as { feature: string } | undefined)?.feature;
}

const itemJson = (c: FeatureCollection, omit?: ReadonlySet<string>) => featureJson(c.layer, omit, [], { emptyListAsNull: true });

/** Paging links (Part 1 /rec/core/fc-next-1): the other parameters kept, the position replaced. */
export function pageLinks(base: string, c: FeatureCollection, q: ItemsQuery, page: ItemsPage): Link[] {
  const path = `/collections/${c.id}/items`;
  const { offset: _o, after: _a, ...kept } = q.given;
  const type = q.format === "html" ? MEDIA.html : MEDIA.geojson;
  const at = (offset: number, after?: number | null): Record<string, string> => ({
    ...kept,
    limit: String(q.limit),
    ...(after != null ? { after: String(after) } : {}),
    ...(offset > 0 ? { offset: String(offset) } : {}),
  });
  const as = (f: "json" | "html") => ({ ...q.given, f });
  const links: Link[] = [
    { href: href(base, path, as(q.format)), rel: "self", type, title: "this page" },
    q.format === "html"
      ? { href: href(base, path, as("json")), rel: "alternate", type: MEDIA.geojson, title: "this page (GeoJSON)" }
      : { href: href(base, path, as("html")), rel: "alternate", type: MEDIA.html, title: "this page (HTML)" },
    { href: href(base, `/collections/${c.id}`), rel: "collection", type: MEDIA.json, title: c.title },
  ];
  if (page.nextAfter !== undefined) links.push({ href: href(base, path, at(0, page.nextAfter)), rel: "next", type, title: "next page" });
  if (page.prev) links.push({ href: href(base, path, at(page.prev.offset, page.prev.after)), rel: "prev", type, title: "previous page" });
  return links;
}

/** The FeatureCollection text (Part 1 /req/geojson/content): features are passed on as PostgreSQL wrote them. */
export function featureCollectionJson(page: ItemsPage, links: Link[]): string {
  return featureCollection(
    { numberMatched: page.numberMatched, numberReturned: page.features.length, timeStamp: new Date().toISOString(), links },
    page.features,
  );
}

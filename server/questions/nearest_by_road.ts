import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { findLayer } from "../layers/index.ts";
import { featureJson } from "../sql/feature_json.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { bareIdent, ident, render, sql, type Sql } from "../sql/template.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { candidateSource, filterBindings, layerMarks, nearest, origin, type NearestQuery } from "./nearest.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces, joinSoon, type NotReachable, type Place } from "../roads/join.ts";
import { search, type Travel } from "../roads/search.ts";
import { routeLines } from "../roads/route.ts";
import { roadSettings } from "../roads/settings.ts";
import { roadOrigin } from "./road_origin.ts";
import type { HazardLevel } from "../roads/barriers.ts";

/** GET /nearest's answer: its features (GeoJSON Feature texts, in order) and the collection's members. */
export interface NearestAnswer {
  features: string[];
  members: Record<string, unknown>;
}

const candidatesTemplate = sqlFile(new URL("./nearest_candidates.sql", import.meta.url));
const answerTemplate = sqlFile(new URL("./nearest_by_road.sql", import.meta.url));
const statements = new Map<string, Statement>();

function prepared(name: string, make: () => string): Statement {
  let found = statements.get(name);
  if (!found) statements.set(name, (found = new Statement(make(), name)));
  return found;
}

function candidatesStatement(q: NearestQuery): Statement {
  const { source, outsideZone } = candidateSource(q);
  return prepared(["road_candidates", source, outsideZone ? "zone" : ""].join("_"), () =>
    render(candidatesTemplate, { source: bareIdent(source), outside_zone: outsideZone ? sql`true` : sql`false` }),
  );
}

function answerStatement(q: NearestQuery, omit: ReadonlySet<string>): Statement {
  const layer = findLayer(q.layer)!;
  const withStock = q.layer === "depots" && q.item !== undefined;
  const extra: Sql[] = [
    sql`a.distance_m`,
    sql`degrees(ST_Azimuth(ST_SetSRID(ST_MakePoint(:origin_lon, :origin_lat), 4326)::geography, ST_PointOnSurface(t.geom)::geography)) AS bearing_deg`,
    sql`'road' AS "by"`,
    sql`a.travel_time_s`,
    sql`a.road_distance_m`,
    sql`a.off_road_m`,
    sql`a.route`,
    ...layerMarks(q),
  ];
  return prepared(["road_nearest", layer.table, withStock ? "stock" : "", ...[...omit].sort()].join("_"), () =>
    render(answerTemplate, { table: ident(layer.table), feature: featureJson(layer, omit, extra) }),
  );
}

/** The databases whose road network had no roads when last asked (see nearestByRoad). */
const roadless = new WeakSet<Db>();

/** Which way travel goes by default: people go from their point to a shelter; teams and supplies come to the point. */
const defaultDirection = (q: NearestQuery): "to_point" | "from_point" => (q.layer === "shelters" ? "from_point" : "to_point");

/**
 * The k nearest by travel time (GET /nearest, by=road or by default): the true k, not the straight-line k
 * re-ranked. Candidates are taken nearest first in a straight line, more and more (×4), until the k-th
 * time found could not be beaten by any candidate farther away: one at straight distance d needs at
 * least d / (the network's top speed) seconds. Asked by default from a point that does not join the
 * network within reach, the answer is the straight one, saying so.
 */
export async function nearestByRoad(db: Db, q: NearestQuery, omit: ReadonlySet<string>): Promise<NearestAnswer> {
  const from = await origin(db, q);
  const candidates = candidatesStatement(q);
  const candidatesFor = (wanted: number) =>
    candidates.run<{ id: number; distance_m: number; lon: number; lat: number }>(db, {
      here: from.here,
      zone_radius_m: from.zone_radius_m,
      candidates: wanted,
      ...filterBindings(q),
    });
  const here = await originPlace(db, from.here, q);
  // where the last network seen had no roads (a county before its roads are loaded), the network alone is
  // asked first: still without roads, the answer is straight, and candidates and the point's join would go unused
  const roadlessBefore = roadless.has(db) && q.by !== "road";
  const networkFirst = roadlessBefore ? await networkNow(db, q.avoid_hazards as HazardLevel | undefined) : undefined;
  // the network, where the question's point joins it and the first two rounds of candidates, asked at once
  const firstWanted = Math.max(4 * q.limit, 20);
  const fetched = networkFirst?.graph.edgeCount === 0 ? Promise.resolve([]) : candidatesFor(firstWanted * 4);
  fetched.catch(() => {}); // awaited below, unless the answer is not by road
  const join = networkFirst?.graph.edgeCount === 0 ? undefined : joinSoon(db, [here]);
  const network = networkFirst ?? (await networkNow(db, q.avoid_hazards as HazardLevel | undefined));
  if (network.graph.edgeCount === 0) roadless.add(db);
  else roadless.delete(db);
  const joined = await roadOrigin(db, network, here, q.by === "road" ? "road" : undefined, join);
  if ("originNotReachable" in joined) return { features: [], members: { numberReturned: 0, by: "road", origin_not_reachable: joined.originNotReachable } };
  if ("byReason" in joined) return { features: await nearest(db, q, omit), members: { by: "straight", by_reason: joined.byReason } };
  const direction = q.direction ?? defaultDirection(q);
  const travel: Travel = direction === "from_point" ? "from_starts" : "to_starts";
  const topSpeed = Math.max(network.graph.maxSpeedMps, roadSettings(db).offRoadKmh / 3.6);

  for (let wanted = firstWanted; ; wanted *= 4) {
    const rows = wanted <= firstWanted * 4 ? roundOf(await fetched, wanted) : await candidatesFor(wanted);
    const all = rows.length < wanted; // every candidate there is (within max_distance_m)
    const joins = await joinPlaces(db, network.graph, rows);
    const reachable = joins.flatMap((j, i) => ("anchor" in j ? [i] : []));
    const anchors = joins.flatMap((j) => ("anchor" in j ? [j.anchor] : []));
    const found = search(network.graph, {
      starts: [joined.anchor],
      travel,
      targets: anchors,
      k: q.limit,
      blocked: network.blocked,
      routes: true,
    });
    const answered = reachable.map((row, t) => ({ row, t, s: found.targetSeconds[t]! })).filter((a) => Number.isFinite(a.s));
    answered.sort((a, b) => a.s - b.s || rows[a.row]!.id - rows[b.row]!.id);
    const farthest = rows.length ? rows[rows.length - 1]!.distance_m : 0;
    const kth = answered.length >= q.limit ? answered[q.limit - 1]!.s : Infinity;
    // 1 % short of the straight bound: partial edges are split by fraction of their length in degrees
    if (!all && kth * topSpeed > farthest * 0.99) continue;

    const top = answered.slice(0, q.limit);
    const routes = top.map(({ row, t }) => {
      const there: Place = rows[row]!;
      return { from: travel === "from_starts" ? here : there, pieces: found.routes[t]!, to: travel === "from_starts" ? there : here };
    });
    const lines = routeLines(network.graph, routes);
    const features = await answerStatement(q, omit).run<{ feature: string }>(db, {
      origin_lon: here.lon,
      origin_lat: here.lat,
      ids: top.map(({ row }) => rows[row]!.id),
      distance_m: top.map(({ row }) => rows[row]!.distance_m),
      travel_time_s: top.map(({ s }) => s),
      road_distance_m: top.map(({ t }) => found.targetMetres[t]!),
      off_road_m: top.map(({ t }) => joined.anchor.offRoadM + anchors[t]!.offRoadM),
      routes: lines,
      item: q.item ?? null,
    });
    if (features.length === 0 && q.item) await assertItemsExist(db, [q.item], () => ["item"]);
    return {
      features: features.map((f) => f.feature),
      members: {
        numberReturned: features.length,
        by: "road",
        direction,
        avoid_hazards: q.avoid_hazards ?? null,
        candidates_examined: rows.length,
        not_reachable: notReachableCounts(
          joins.flatMap((j) => ("notReachable" in j ? [j.notReachable] : [])),
          all && answered.length < q.limit ? reachable.length - answered.length : 0,
        ),
      },
    };
  }
}

/**
 * The candidates a round asking for `wanted` gets, from a round that asked for more: nearest_exact answers
 * every row within the largest distance of the `wanted` nearest (+1 cm), so a smaller round's rows are the
 * larger one's up to that distance.
 */
function roundOf<R extends { distance_m: number }>(rows: R[], wanted: number): R[] {
  if (rows.length < wanted) return rows;
  const bound = rows[wanted - 1]!.distance_m + 0.01;
  let n = wanted;
  while (n < rows.length && rows[n]!.distance_m <= bound) n++;
  return rows.slice(0, n);
}

/** How many candidates examined could not be answered by road, by reason: beyond reach / no roads, or no route (the search ran out). */
function notReachableCounts(reasons: NotReachable[], noRoute: number): Record<string, number> {
  const counts: Record<string, number> = { count: reasons.length + noRoute, beyond_reach: 0, no_roads: 0, no_route: noRoute };
  for (const r of reasons) counts[r.reason]!++;
  return counts;
}

const pointOf = new Statement("SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM ST_PointOnSurface(:here::geometry) p", "road_origin_point");

/** The question's point: the one given, or a point on the hazard asked from (its surface, or on its line). */
async function originPlace(db: Db, here: string, q: NearestQuery): Promise<Place> {
  if (q.hazard_id === undefined) return { lon: q.lon!, lat: q.lat! };
  const [p] = await pointOf.run<Place>(db, { here });
  return p!;
}

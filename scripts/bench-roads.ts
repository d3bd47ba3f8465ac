// The road network's speed on a generated county (≥ 50,000 segments) or province (≥ 1,000,000), each
// figure beside a baseline measured in the same run: the topology built by the INSERT that imports the
// lines (migration 016's triggers) beside the same INSERT into a copy of `roads` without them and beside
// pgRouting's own topology functions; a road edit beside the same UPDATE without the network; then raw
// pgRouting on the very network the engine answers from (nearest k=5, a 30-minute service area, coverage
// by time, evacuation villages × shelters), and, where the engine is on this branch, the same questions
// over HTTP (wrk, 8 connections) against a server process of its own.
// Usage: ROADS_DATABASE_URL=postgres://…/hazmap_bench_roads npx tsx scripts/bench-roads.ts [--quick] [--province] [--explain] [--build] [--reuse] [--seed N]
//   --quick     an 8,000-segment county and few runs, for trying the bench out
//   --province  1,000,000 segments: the topology, edits, nearest and a service area
//   --explain   the plans of the statements inside the build (auto_explain, nested), printed after it
//   --build     the build and its edge set only (to compare a rewrite of the network's functions with)
//   --reuse     keep the network and resources a previous run of the same size left; measure the questions only
//   --no-raw    with --reuse: the engine over HTTP only (raw pgRouting reads a province's 1.24 million edges a query)
// The database is the bench's own: it replaces its roads, villages, shelters, teams and depots.
import { existsSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { generateRoadNetwork, placesBesideRoads, planRoadNetwork, type GeneratedRoad } from "./generate-road-network.ts";
import { serveProduct } from "./serve_product.ts";
import { wrk, type HttpRequest } from "./wrk.ts";

const url = process.env.ROADS_DATABASE_URL;
if (!url) throw new Error("ROADS_DATABASE_URL is not set; run ./scripts/bench roads");
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const province = argv.includes("--province");
const explain = argv.includes("--explain");
const buildOnly = argv.includes("--build");
const reuse = argv.includes("--reuse");
const noRaw = reuse && argv.includes("--no-raw");
const seed = argv.includes("--seed") ? Number(argv[argv.indexOf("--seed") + 1]) : 16;
const segments = province ? 1_000_000 : quick ? 8_000 : 50_000;
const runs = quick || province ? 5 : 30;
const plan = planRoadNetwork(segments);
/** resources scale with the area: 1,000 villages and 300 shelters on a county of 50,000 segments */
const perCounty = (count: number) => Math.round((count * segments) / 50_000);

const client = new pg.Client({ connectionString: url });
await client.connect();
const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];
const one = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await q<T>(text, values))[0]!;
const time = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const result = await work();
  return [performance.now() - t0, result];
};
// On a shared machine wall time is mostly others' load: where the database runs on this host, the build
// also says the CPU its backend spent (utime + stime from /proc, 10 ms ticks).
const backend = Number((await one<{ pid: number }>("SELECT pg_backend_pid() AS pid")).pid);
const backendCpuMs = (): number => {
  try {
    const fields = readFileSync(`/proc/${backend}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
};
/** Wall and backend CPU time of some statements, in ms. */
const timeCpu = async <T>(work: () => Promise<T>): Promise<[number, number, T]> => {
  const cpu0 = backendCpuMs();
  const [wall, result] = await time(work);
  return [wall, backendCpuMs() - cpu0, result];
};
const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
};
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0)).padStart(8) + " ms";
const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(7);
const line = (name: string, ...cells: string[]) => console.log(name.padEnd(52), ...cells);

const foreign = await one<{ n: number }>(`
  SELECT (SELECT count(*) FROM roads WHERE code IS NULL OR code NOT LIKE 'bench:%')
       + (SELECT count(*) FROM villages WHERE code IS NULL OR code NOT LIKE 'bench:%')::int AS n`);
if (Number(foreign.n) > 0) throw new Error(`${url} holds roads or villages the bench did not make: give the bench a database of its own`);

console.log(
  `\nhazmap roads bench · ${province ? "province" : "county"} of ${segments.toLocaleString("en")} segments (grid ${plan.n}×${plan.n}, seed ${seed}) · ${new Date().toISOString()}`,
);

/** The generated network staged, built by the import's INSERT beside its baselines, and the resources placed. */
async function buildNetwork(): Promise<void> {
  // ---- the lines, staged (not timed as the build): COPY of the generated network into a table of its own
  const columns = ["code", "name", "geom", "road_class", "oneway", "speed_kmh", "status", "bridge", "tunnel"];
  await q(
    "DROP TABLE IF EXISTS bench_roads_source, bench_roads_plain, bench_topology, bench_topology_noded, bench_topology_noded_vertices_pgr, bench_topology_vertices_pgr",
  );
  await q(`CREATE UNLOGGED TABLE bench_roads_source (code text, name text, geom geometry(MultiLineString, 4326), road_class text, oneway text,
             speed_kmh double precision, status text, bridge boolean, tunnel boolean)`);
  const text = (r: GeneratedRoad) =>
    [
      r.code,
      r.name,
      `SRID=4326;MULTILINESTRING((${r.line.map(([x, y]) => `${x} ${y}`).join(",")}))`,
      r.road_class,
      r.oneway,
      r.speed_kmh ?? "\\N",
      r.status,
      r.bridge ? "t" : "f",
      r.tunnel ? "t" : "f",
    ].join("\t") + "\n";
  const [staged] = await time(async () => {
    async function* rows() {
      let batch = "";
      for (const r of generateRoadNetwork(plan, seed)) {
        batch += text(r);
        if (batch.length > 1 << 20) {
          yield batch;
          batch = "";
        }
      }
      yield batch;
    }
    await pipeline(Readable.from(rows()), client.query(copyStreams.from(`COPY bench_roads_source (${columns}) FROM STDIN`)));
    await q("ANALYZE bench_roads_source");
  });
  const { lines, vertices } = await one<{ lines: number; vertices: number }>(
    "SELECT count(*)::int AS lines, sum(ST_NPoints(geom))::int AS vertices FROM bench_roads_source",
  );
  console.log(`generated and staged ${lines.toLocaleString("en")} lines, ${vertices.toLocaleString("en")} vertices in ${(staged / 1000).toFixed(1)} s`);

  // ---- the whole topology: the import's INSERT (its settings, in one transaction) with the network triggers and without
  await q("TRUNCATE roads, villages, shelters, teams, depots CASCADE");
  await q("CREATE TABLE bench_roads_plain (LIKE roads INCLUDING ALL)");
  const insertInto = async (table: string) => {
    await q("BEGIN");
    await q("SELECT set_config('hazmap.bulk', 'on', true), set_config('work_mem', '256MB', true), set_config('statement_timeout', '0', true)");
    await q(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM bench_roads_source ORDER BY code`);
    await q("COMMIT");
  };
  const [plainMs, plainCpu] = await timeCpu(() => insertInto("bench_roads_plain"));
  const plans: string[] = [];
  if (explain) {
    // auto_explain reports at LOG level: the client hears it as notices
    await q("LOAD 'auto_explain'");
    await q(
      "SET auto_explain.log_min_duration = 20; SET auto_explain.log_analyze = on; SET auto_explain.log_nested_statements = on; SET client_min_messages = log",
    );
    client.on("notice", (m) => plans.push(m.message ?? ""));
  }
  const [buildMs, buildCpu] = await timeCpu(() => insertInto("roads"));
  if (explain) await q("RESET client_min_messages; SET auto_explain.log_min_duration = -1");
  // the edge set, independent of ids (to compare a rewrite of the build with): each edge by its road, line, ends and costs
  const built = await one<{ edges: number; nodes: number; fingerprint: string }>(`
    SELECT (SELECT count(*) FROM road_nodes)::int AS nodes, count(*)::int AS edges,
           md5(string_agg(concat_ws(' ', r.code, encode(ST_AsBinary(e.geom), 'hex'), encode(ST_AsBinary(s.geom), 'hex'), encode(ST_AsBinary(t.geom), 'hex'),
                                    round(e.cost::numeric, 6), round(e.reverse_cost::numeric, 6)), ',' ORDER BY r.code, encode(ST_AsBinary(e.geom), 'hex'))) AS fingerprint
    FROM road_edges e JOIN roads r ON r.id = e.road_id JOIN road_nodes s ON s.id = e.source JOIN road_nodes t ON t.id = e.target`);
  console.log(`network: ${built.edges.toLocaleString("en")} edges, ${built.nodes.toLocaleString("en")} nodes, edge set md5 ${built.fingerprint}\n`);
  const cpu = (x: number) => (Number.isNaN(x) ? "       —" : ms(x));
  line("topology (the import's INSERT …)", "        time", " ÷ build", "  backend CPU");
  line("INSERT into roads, the network built by its triggers", ms(buildMs), ratio(buildMs, buildMs), cpu(buildCpu));
  line("the same INSERT into a copy without the network", ms(plainMs), ratio(plainMs, buildMs), cpu(plainCpu));
  if (explain) console.log(`\nplans of the build (auto_explain, nested, ≥ 20 ms):\n${plans.join("\n\n")}`);
  if (buildOnly) {
    await client.end();
    process.exit(0);
  }

  // pgRouting's own: vertices of the noded edges (C++), and its plpgsql topology of them
  await q("CREATE UNLOGGED TABLE bench_topology AS SELECT id, geom, NULL::bigint AS source, NULL::bigint AS target FROM road_edges");
  const [verticesMs, verticesCpu, v] = await timeCpu(() =>
    one<{ n: number }>("SELECT count(*)::int AS n FROM pgr_extractVertices('SELECT id, geom FROM road_edges')"),
  );
  line(`pgr_extractVertices of those edges (${v.n.toLocaleString("en")} nodes)`, ms(verticesMs), ratio(verticesMs, buildMs), cpu(verticesCpu));
  // pgRouting's plpgsql topology and noder (every crossing, bridges too): row by row, so on a county at most
  if (!province) {
    const [topologyMs, topologyCpu] = await timeCpu(() =>
      q("SET client_min_messages = warning; SELECT pgr_createTopology('bench_topology', 1e-9, 'geom', 'id'); RESET client_min_messages"),
    );
    line("pgr_createTopology of those edges", ms(topologyMs), ratio(topologyMs, buildMs), cpu(topologyCpu));
    await q(
      "DROP TABLE bench_topology; CREATE UNLOGGED TABLE bench_topology AS SELECT row_number() OVER (ORDER BY code) AS id, ST_GeometryN(geom, 1) AS geom FROM bench_roads_source",
    );
    const limit = quick ? 60 : 300;
    await q(`SET statement_timeout = '${limit}s'; SET client_min_messages = warning`);
    const [nodingMs, nodingCpu, noded] = await timeCpu(() =>
      q("SELECT pgr_nodeNetwork('bench_topology', 1e-9, 'id', 'geom')").then(
        () => true,
        (e: Error) => (/statement timeout/.test(e.message) ? false : Promise.reject(e)),
      ),
    );
    await q("RESET statement_timeout; RESET client_min_messages");
    line(
      `pgr_nodeNetwork of the raw lines (no bridges)`,
      noded ? ms(nodingMs) : `> ${limit} s, stopped`.padStart(11),
      noded ? ratio(nodingMs, buildMs) : "",
      cpu(nodingCpu),
    );
  }
  await q("DROP TABLE IF EXISTS bench_topology, bench_topology_noded, bench_topology_vertices_pgr");

  // ---- the resources, beside the roads
  const place = async (table: string, count: number, extra: string, salt: number) => {
    const places = placesBesideRoads(plan, seed * 1000 + salt, count, table);
    await q(
      `INSERT INTO ${table} (code, name, geom ${extra ? `, ${extra.split("=")[0]}` : ""})
       SELECT 'bench:' || p.name, p.name, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) ${extra ? `, ${extra.split("=")[1]}` : ""}
       FROM json_to_recordset($1) AS p(name text, lon float8, lat float8)`,
      [JSON.stringify(places)],
    );
  };
  await place("villages", perCounty(1000), "population=200 + (hashtext(p.name) & 1023)", 1);
  await place("shelters", perCounty(300), "capacity=300 + (hashtext(p.name) & 2047)", 2);
  await place("teams", perCounty(60), "", 3);
  await place("depots", perCounty(30), "", 4);
  await q("ANALYZE roads, road_edges, road_nodes, villages, shelters, teams, depots");
}

/** Each edit, `runs` times, beside the same UPDATE of the copy without the network. */
async function measureEdits(): Promise<void> {
  console.log();
  line("a single road edit in effect (UPDATE + next SELECT)", "     p50", "     max", " baseline p50", "  ratio");
  for (const [name, code, change] of [
    ["a village road's geometry", village, "geom"],
    ["a national road section's geometry (~10 km)", national, "geom"],
    ["a village road's status (open ↔ closed)", village, "status"],
    ["a national road section's status", national, "status"],
  ] as const) {
    const product: number[] = [];
    const plain: number[] = [];
    // an even number: each road ends as it began (moved back, reopened)
    for (let k = 0; k < runs + (runs % 2); k++) {
      product.push((await time(() => edit("roads", code, change, k)))[0]);
      plain.push((await time(() => edit("bench_roads_plain", code, change, k)))[0]);
    }
    const [p, b] = [quantiles(product), quantiles(plain)];
    line(name, ms(p.p50), ms(p.max), ms(b.p50), ratio(p.p50, b.p50));
  }
  await q("DROP TABLE bench_roads_plain");
}

if (reuse) {
  const held = await one<{ roads: number; edges: number; villages: number }>(
    "SELECT (SELECT count(*) FROM roads)::int AS roads, (SELECT count(*) FROM road_edges)::int AS edges, (SELECT count(*) FROM villages)::int AS villages",
  );
  if (held.roads === 0 || held.villages === 0) throw new Error("--reuse: the database holds no network and places; run once without --reuse or --build");
  console.log(
    `reusing the network held: ${held.roads.toLocaleString("en")} lines, ${held.edges.toLocaleString("en")} edges (its build and edits not measured)`,
  );
} else await buildNetwork();

// ---- a single road edit in effect: the UPDATE (autocommit) and the next SELECT of road_edges that sees it
const edit = async (table: string, code: string, change: "geom" | "status", k: number) => {
  if (change === "geom") {
    const dx = (k % 2 ? -1 : 1) * 0.0002;
    await q(
      `UPDATE ${table} SET geom = ST_Multi(ST_SetPoint(ST_GeometryN(geom, 1), 1, ST_Translate(ST_PointN(ST_GeometryN(geom, 1), 2), $2, 0))) WHERE code = $1`,
      [code, dx],
    );
    if (table !== "roads") return;
    const seen = await one<{ ok: boolean }>(
      `SELECT count(*) > 0 AS ok FROM road_edges e JOIN roads r ON r.id = e.road_id
       WHERE r.code = $1 AND ST_DWithin(e.geom, ST_PointN(ST_GeometryN(r.geom, 1), 2), 1e-9)`,
      [code],
    );
    if (!seen.ok) throw new Error(`road_edges does not show the moved vertex of ${code}`);
  } else {
    await q(`UPDATE ${table} SET status = CASE status WHEN 'closed' THEN 'open' ELSE 'closed' END WHERE code = $1`, [code]);
    if (table !== "roads") return;
    const seen = await one<{ ok: boolean }>(
      "SELECT bool_and((r.status = 'closed') = (e.cost < 0 AND e.reverse_cost < 0)) AS ok FROM road_edges e JOIN roads r ON r.id = e.road_id WHERE r.code = $1",
      [code],
    );
    if (!seen.ok) throw new Error(`road_edges does not show the status of ${code}`);
  }
};
const village = (
  await one<{ code: string }>(
    "SELECT code FROM roads WHERE road_class = 'village' AND status = 'open' AND NOT bridge ORDER BY id OFFSET (SELECT count(*) / 2 FROM roads) LIMIT 1",
  )
).code;
const national = (await one<{ code: string }>("SELECT code FROM roads WHERE road_class = 'national' AND NOT bridge ORDER BY ST_NPoints(geom) DESC, id LIMIT 1"))
  .code;
if (!reuse) await measureEdits();

// ---- raw pgRouting on the same network: every point joined to its nearest usable edge, as the engine joins them
await q(`
  CREATE TEMP TABLE bench_joined AS
  SELECT k.layer, k.id, k.pid, e.id AS edge_id, e.fraction, CASE WHEN e.fraction < 0.5 THEN e.source ELSE e.target END AS node
  FROM (SELECT 'villages' AS layer, id, geom, id AS pid FROM villages
        UNION ALL SELECT 'shelters', id, geom, 100000000 + id FROM shelters
        UNION ALL SELECT 'teams', id, geom, 200000000 + id FROM teams) k
  CROSS JOIN LATERAL (
    SELECT e.id, e.source, e.target, ST_LineLocatePoint(e.geom, k.geom) AS fraction FROM road_edges e
    WHERE e.cost >= 0 OR e.reverse_cost >= 0 ORDER BY e.geom::geography <-> k.geom::geography LIMIT 1) e`);
const origins = await q<{ id: number; lon: number; lat: number }>(
  `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM villages ORDER BY id LIMIT ${quick ? 20 : 200}`,
);
const edgesSql = "SELECT id, source, target, cost, reverse_cost FROM road_edges";
const reversedEdgesSql = "SELECT id, source, target, reverse_cost AS cost, cost AS reverse_cost FROM road_edges";
/** The origin point joined to the network in the query itself, as a question's point is. */
const joinOrigin = `
  SELECT e.id AS edge_id, ST_LineLocatePoint(e.geom, o.geom) AS fraction,
         CASE WHEN ST_LineLocatePoint(e.geom, o.geom) < 0.5 THEN e.source ELSE e.target END AS node
  FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS geom) o
  CROSS JOIN LATERAL (SELECT * FROM road_edges e WHERE e.cost >= 0 OR e.reverse_cost >= 0 ORDER BY e.geom::geography <-> o.geom::geography LIMIT 1) e`;
const raw: { name: string; sql: string; args: (i: number) => unknown[]; runs: number }[] = [
  {
    name: "nearest k=5 shelters: pgr_dijkstraNear, node to nodes",
    runs: runs * 2,
    sql: `WITH o AS (${joinOrigin})
          SELECT end_vid, agg_cost FROM pgr_dijkstraNear('${edgesSql}', (SELECT node FROM o),
            (SELECT array_agg(DISTINCT node) FROM bench_joined WHERE layer = 'shelters'), true, 5) WHERE edge = -1`,
    args: (i) => [origins[i % origins.length]!.lon, origins[i % origins.length]!.lat],
  },
  {
    name: "nearest k=5 shelters: pgr_withPointsCost, on edges",
    runs: runs * 2,
    sql: `WITH o AS (${joinOrigin})
          SELECT end_pid, agg_cost FROM pgr_withPointsCost('${edgesSql}',
            format('SELECT 1 AS pid, %s AS edge_id, %s AS fraction UNION ALL SELECT pid, edge_id, fraction FROM bench_joined WHERE layer = ''shelters''',
                   (SELECT edge_id FROM o), (SELECT fraction FROM o)),
            -1, (SELECT array_agg(-pid) FROM bench_joined WHERE layer = 'shelters'), true, 'b')
          ORDER BY agg_cost LIMIT 5`,
    args: (i) => [origins[i % origins.length]!.lon, origins[i % origins.length]!.lat],
  },
  {
    name: "service area 30 min: pgr_drivingDistance + hull",
    runs,
    sql: `SELECT ST_ConcaveHull(ST_Collect(n.geom), 0.3) FROM pgr_drivingDistance('${edgesSql}',
            (SELECT node FROM bench_joined WHERE layer = 'teams' ORDER BY id OFFSET $1 LIMIT 1), 1800, true) d JOIN road_nodes n ON n.id = d.node`,
    args: (i) => [i % perCounty(60)],
  },
  ...(province
    ? []
    : [
        {
          name: "coverage 15 min, all shelters: pgr_drivingDistance",
          runs: Math.max(3, runs / 5),
          sql: `WITH reached AS (SELECT DISTINCT node FROM pgr_drivingDistance('${reversedEdgesSql}',
                  (SELECT array_agg(DISTINCT node) FROM bench_joined WHERE layer = 'shelters'), 900, true, true))
                SELECT count(*) FILTER (WHERE r.node IS NULL) AS gaps FROM bench_joined j LEFT JOIN reached r USING (node) WHERE j.layer = 'villages'`,
          args: () => [],
        },
        {
          name: `evacuation ${perCounty(1000).toLocaleString("en")}×${perCounty(300)}: pgr_dijkstraCost many-to-many`,
          runs: quick ? 2 : 1,
          sql: `SELECT count(*) AS pairs FROM pgr_dijkstraCost('${edgesSql}',
                  (SELECT array_agg(DISTINCT node) FROM bench_joined WHERE layer = 'villages'),
                  (SELECT array_agg(DISTINCT node) FROM bench_joined WHERE layer = 'shelters'), true)`,
          args: () => [],
        },
      ]),
];
const rawP50 = new Map<string, number>();
console.log();
line("raw pgRouting on the same network, 1 client", "     p50", "     p99", "   runs");
for (const r of noRaw ? [] : raw) {
  const times: number[] = [];
  if (!province) await client.query(r.sql, r.args(0)); // warm (a province's query reads 1.24 million edges: not twice)
  for (let i = 0; i < (province ? Math.min(r.runs, 2) : r.runs); i++) times.push((await time(() => client.query(r.sql, r.args(i))))[0]);
  const s = quantiles(times);
  rawP50.set(r.name, s.p50);
  line(r.name, ms(s.p50), ms(s.p99), String(times.length).padStart(7));
}

// ---- the engine over HTTP, where it is on this branch
console.log();
if (!existsSync(new URL("../server/roads", import.meta.url))) {
  line("by road over HTTP", "engine not on this branch");
} else {
  const served = await serveProduct(url);
  try {
    const at = (i: number) => origins[i % origins.length]!;
    const teamIds = (await q<{ id: number }>("SELECT id FROM teams ORDER BY id")).map((t) => Number(t.id));
    // the area evacuated: a square of ~180 m about every village (a flood reaching all of them), so that
    // every village must leave and the shelters, beside other roads, receive
    const flooded = await one<{ area: string }>("SELECT ST_AsGeoJSON(ST_Multi(ST_Union(ST_Expand(geom, 0.0008))), 7) AS area FROM villages");
    const cases: { name: string; raw?: string; request: (i: number) => HttpRequest; connections: number[]; seconds: number }[] = [
      {
        name: "nearest shelters by road k=5",
        raw: "nearest k=5 shelters: pgr_withPointsCost", // the same answer: points joined on the edges
        connections: [1, 8],
        seconds: quick ? 3 : 10,
        request: (i) => ({ path: `/api/v1/nearest?layer=shelters&by=road&limit=5&lon=${at(i).lon}&lat=${at(i).lat}` }),
      },
      {
        name: "nearest teams by road k=5",
        connections: [1, 8],
        seconds: quick ? 3 : 10,
        request: (i) => ({ path: `/api/v1/nearest?layer=teams&by=road&limit=5&lon=${at(i).lon}&lat=${at(i).lat}` }),
      },
      {
        name: "service area 30 min, one team",
        raw: "service area 30 min",
        connections: [1],
        seconds: quick ? 3 : 8,
        request: (i) => ({ path: `/api/v1/service-area?layer=teams&id=${teamIds[i % teamIds.length]}&minutes=30` }),
      },
      ...(province
        ? []
        : [
            {
              name: "coverage gaps by road 15 min, county",
              raw: "coverage 15 min, all shelters",
              connections: [1],
              seconds: quick ? 3 : 8,
              request: () => ({ path: "/api/v1/coverage-gaps?layer=shelters&by=road&minutes=15" }),
            },
            {
              name: `evacuation by road, ${perCounty(1000)} villages × ${perCounty(300)} shelters`,
              raw: "evacuation",
              connections: [1],
              seconds: quick ? 5 : 15,
              request: () => ({
                path: "/api/v1/evacuation-plan",
                body: { area: JSON.parse(flooded.area), by: "road" },
              }),
            },
          ]),
    ];
    line("by road over HTTP (wrk)", "clients", "     p50", "     p99", "   req/s", " raw p50", "  ratio");
    const answered = new Set<string>();
    for (const c of cases) {
      // a question this server does not answer yet says so, and the bench goes on
      const first = c.request(0);
      const probeStart = performance.now();
      const probe = await fetch(
        served.base + first.path,
        first.body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(first.body) } : {},
      );
      const answer = await probe.text();
      const probeMs = performance.now() - probeStart;
      if (probe.status !== 200) {
        line(c.name, `not answered: ${probe.status} ${answer.slice(0, 120)}`);
        continue;
      }
      answered.add(c.name);
      const body = JSON.parse(answer) as { affected?: { villages: number }; shelters?: unknown[]; assignments?: unknown[] };
      if (body.affected)
        line(`  ${body.affected.villages} villages affected, ${body.shelters!.length} shelters receiving, ${body.assignments!.length} assignments`);
      const requests = Array.from({ length: Math.min(origins.length, 50) }, (_, i) => c.request(i));
      await wrk(served.base, requests, 2, 2); // warm
      for (const k of c.connections) {
        const h = await wrk(served.base, requests, k, c.seconds);
        const rawMs = c.raw ? [...rawP50].find(([name]) => name.startsWith(c.raw!))?.[1] : undefined;
        // slower than wrk's window: the one request the probe made, timed by itself
        const p50 = h.p50 > 0 ? h.p50 : probeMs;
        line(
          c.name,
          String(k).padStart(7),
          ms(p50),
          h.p50 > 0 ? ms(h.p99) : "  (1 run)",
          h.rps.toFixed(0).padStart(8),
          rawMs ? ms(rawMs) : "",
          rawMs ? ratio(p50, rawMs) : "",
        );
      }
    }
    // an edit in effect for the very next question: a status change, then a geometry change, by SQL, then
    // the next nearest answer (the engine brings its graph up to date)
    for (const change of ["status", "geom"] as const) {
      const changed: number[] = [];
      for (let k = 0; answered.has(cases[0]!.name) && k < runs + (runs % 2); k++) {
        changed.push(
          (
            await time(async () => {
              await edit("roads", village, change, k);
              const r = await fetch(served.base + cases[0]!.request(k).path);
              if (r.status !== 200) throw new Error(`nearest after an edit → ${r.status}`);
              await r.arrayBuffer();
            })
          )[0],
        );
      }
      if (changed.length > 0) {
        const e = quantiles(changed);
        line(`a road's ${change === "geom" ? "geometry" : "status"} changed, then the next nearest`, "      1", ms(e.p50), ms(e.max));
      }
    }
  } finally {
    await served.stop();
  }
}

await client.end();

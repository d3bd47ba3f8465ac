-- National-scale benchmark data for hazmap (DESIGN.md, "Scale it is built for"): 1,000,000 villages,
-- 100,000 shelters, 20,000 depots with stock, 50,000 teams, 2,000 hazards and ~1,800 townships
-- across mainland China, denser in the east. Run by scripts/seed-scale (through scripts/seed-scale.ts,
-- which executes one "-- @step" section at a time on a single connection and times it).
--
-- Deterministic: every random number is a hash of (stream, row number), never random(), so two runs
-- produce the same rows whatever the plan or the order rows are processed in. Each column draws from
-- its own stream number so columns are independent of each other.
--
-- Set-based: every table is filled by one INSERT … SELECT over generate_series.
-- Everything but the final VACUUM runs in one transaction: a failed run leaves the previous data.
-- Orderings are by numbers or under COLLATE "C", so the database's locale cannot change the result.

-- @step helpers, outline and grid
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';

-- A uniform number in [0, 1) from (stream, n): the top 53 bits of PostgreSQL's 64-bit hash.
CREATE FUNCTION pg_temp.rnd(stream integer, n bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(n, stream) >> 11) & 9007199254740991)::double precision / 9007199254740992;

-- A code drawn with the given relative weights, by the uniform number u.
CREATE FUNCTION pg_temp.pick(codes text[], weights double precision[], u double precision) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  total double precision := 0;
  k integer;
BEGIN
  FOR k IN 1 .. cardinality(weights) LOOP total := total + weights[k]; END LOOP;
  u := u * total;
  FOR k IN 1 .. cardinality(weights) LOOP
    u := u - weights[k];
    IF u < 0 THEN RETURN codes[k]; END IF;
  END LOOP;
  RETURN codes[cardinality(codes)];
END $$;

-- A WGS84 point rounded to 6 decimals (~0.1 m), as a GPS survey or an import would give.
CREATE FUNCTION pg_temp.point(lon double precision, lat double precision) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ST_SetSRID(ST_MakePoint(round(lon * 1e6) / 1e6, round(lat * 1e6) / 1e6), 4326);

-- g moved by up to max_m metres east-west and north-south (u, v uniform): a site near a village.
CREATE FUNCTION pg_temp.jitter(g geometry, u double precision, v double precision, max_m double precision)
RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.point(ST_X(g) + (2 * u - 1) * max_m / (111320 * cos(radians(ST_Y(g)))),
                     ST_Y(g) + (2 * v - 1) * max_m / 110574);

-- A plausible two-character place name (石湾, 龙坪 …); names need not be unique.
CREATE FUNCTION pg_temp.place_name(stream integer, n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ('{东,西,南,北,上,下,大,小,新,老,前,后,中,高,石,龙,凤,金,白,黄,青,红,柳,杨,李,王,张,刘,陈,赵,马,牛,桃,梨}'::text[])
         [1 + floor(pg_temp.rnd(stream, n) * 34)::integer]
    || ('{家,庄,河,山,桥,湾,坪,沟,岭,塘,田,林,坡,集,寨,营,堡,口,屯,店,园,岗}'::text[])
         [1 + floor(pg_temp.rnd(stream + 1, n) * 22)::integer];

-- A person's name for manager / contact columns.
CREATE FUNCTION pg_temp.person_name(stream integer, n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ('{王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,林,罗,高}'::text[])[1 + floor(pg_temp.rnd(stream, n) * 20)::integer]
    || ('{伟,芳,娜,敏,静,强,磊,军,洋,勇,艳,杰,涛,明,超,秀英,建华,国强,红梅,志刚}'::text[])[1 + floor(pg_temp.rnd(stream + 1, n) * 20)::integer];

-- An 11-digit mobile number.
CREATE FUNCTION pg_temp.phone(stream integer, n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '1' || (3 + floor(pg_temp.rnd(stream, n) * 7))::integer || lpad(floor(pg_temp.rnd(stream + 1, n) * 1e9)::bigint::text, 9, '0');

-- 12-digit 统计用区划代码 in the form the layers check (migration 013): six digits, then three-digit
-- parts 001–999 (a township's last part 000). Prefixes 90 (townships) and 91 (villages) are no
-- province's, so generated codes never collide with real ones.
CREATE FUNCTION pg_temp.township_code(k bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '90' || lpad((k / 999)::text, 4, '0') || lpad((k % 999 + 1)::text, 3, '0') || '000';
CREATE FUNCTION pg_temp.village_code(n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '91' || lpad((n / 998001)::text, 4, '0') || lpad((n % 998001 / 999 + 1)::text, 3, '0') || lpad((n % 999 + 1)::text, 3, '0');

-- Rough outline of mainland China (no islands), clockwise from Mohe: the Amur and Ussuri, the
-- coast from the Yalu to Beibu Gulf, the borders with Vietnam, Laos, Myanmar, the Himalaya,
-- the Karakoram and Pamir, Central Asia, Mongolia (round its eastern tongue) and Russia.
-- ~9.4 million km²; every generated point lies strictly inside it.
CREATE TEMP TABLE outline ON COMMIT DROP AS
SELECT ST_GeomFromText('POLYGON((
  121.5 53.3, 123.5 53.55, 126.0 52.8, 127.5 50.0, 130.7 48.9, 132.5 47.7, 134.7 48.3,
  133.1 45.4, 131.9 45.2, 131.0 44.8, 131.3 43.3, 130.6 42.4, 128.1 41.4, 124.4 40.0,
  121.6 38.9, 122.2 40.6, 121.0 40.8, 119.6 39.9, 117.8 38.9, 118.8 37.6, 120.7 37.8,
  122.6 37.4, 120.3 36.0, 119.2 34.8, 120.9 32.6, 121.9 31.7, 121.9 30.8, 122.0 29.9,
  121.5 28.4, 120.4 27.2, 119.7 25.9, 118.2 24.5, 116.7 23.3, 114.3 22.4, 113.6 22.2,
  111.8 21.6, 110.5 21.2, 110.1 20.3, 109.7 21.2, 108.0 21.55,
  106.7 22.1, 106.5 22.9, 105.3 23.3, 103.95 22.5, 102.1 22.4, 101.6 21.2, 100.1 21.5,
  99.2 22.1, 98.9 23.2, 97.6 23.9, 97.7 24.8, 98.7 25.9, 98.6 27.6, 97.4 28.3,
  95.4 29.0, 93.0 28.0, 91.7 27.8, 90.0 28.3, 88.9 27.3, 88.1 27.9, 86.0 28.0, 84.2 28.6,
  82.0 30.1, 81.1 30.1, 79.3 31.0, 78.4 32.6, 79.4 33.2, 78.0 34.7, 78.0 35.5, 75.5 36.9,
  74.6 37.2, 74.9 38.5, 73.5 39.5, 75.6 40.6, 78.4 41.5, 80.2 42.1, 80.5 44.3, 80.3 45.0,
  82.5 45.2, 83.0 47.2, 85.5 47.1, 86.0 48.5, 87.8 49.1, 90.5 47.5, 90.9 46.0, 93.0 44.9,
  95.4 44.3, 96.5 42.7, 100.8 42.7, 104.7 41.6, 107.0 42.4, 109.3 42.5, 111.9 43.7,
  114.5 44.8, 117.4 46.6, 119.9 46.7, 119.7 47.6, 117.4 47.9, 115.6 47.8, 116.7 49.8,
  117.8 49.5, 119.3 50.3, 120.5 52.5, 121.5 53.3))', 4326) AS geom;

DO $$ BEGIN
  IF NOT (SELECT ST_IsValid(geom) FROM outline) THEN RAISE 'the China outline is not a valid polygon'; END IF;
END $$;

-- The township grid: 0.75° cells (exact in binary, so floor(lon / 0.75) always agrees with the
-- cell edges) clipped to the outline. A village's township is then arithmetic on its coordinates.
-- "interior" cells lie wholly inside the outline, so points in them need no polygon test.
CREATE TEMP TABLE cells ON COMMIT DROP AS
WITH grid AS (
  SELECT i, j, ST_MakeEnvelope(i * 0.75, j * 0.75, (i + 1) * 0.75, (j + 1) * 0.75, 4326) AS cell
  FROM outline,
       generate_series(floor(ST_XMin(geom) / 0.75)::integer, floor(ST_XMax(geom) / 0.75)::integer) AS i,
       generate_series(floor(ST_YMin(geom) / 0.75)::integer, floor(ST_YMax(geom) / 0.75)::integer) AS j
), clipped AS (
  SELECT i, j, ST_Within(cell, o.geom) AS interior,
         CASE WHEN ST_Within(cell, o.geom) THEN cell
              ELSE ST_CollectionExtract(ST_Intersection(cell, o.geom), 3) END AS geom
  FROM grid, outline o
  WHERE ST_Intersects(cell, o.geom)
)
SELECT row_number() OVER (ORDER BY j DESC, i) AS k, i, j, interior, ST_Multi(geom) AS geom
FROM clipped
WHERE ST_Area(geom) > 0.05 * 0.75 * 0.75;   -- no sliver townships along the border (and no villages there)
CREATE UNIQUE INDEX ON cells (i, j);

-- @step truncate, set indexes and keys aside
-- CASCADE: this database holds only generated data; anything referencing these rows goes too.
TRUNCATE depot_stock, hazards, teams, depots, shelters, villages, townships RESTART IDENTITY CASCADE;

-- Updating GiST and B-tree indexes and checking foreign keys row by row makes loading a million rows
-- several times slower than building each index once and validating each key with one join
-- afterwards. So the loaded tables' secondary indexes, unique and foreign-key constraints are
-- recorded here in PostgreSQL's own words (so they come back exactly as the migrations made them,
-- same names), dropped, and re-created in the index step. Primary keys and CHECKs stay; so does a
-- unique constraint that a table outside this load refers to. (The version trigger fires on UPDATE
-- only, and this script only INSERTs, so it stays.)
CREATE TEMP TABLE set_aside ON COMMIT DROP AS
WITH loaded AS (
  SELECT unnest('{townships,villages,shelters,depots,depot_stock,teams,hazards}'::regclass[]) AS rel
)
SELECT c.contype::text AS kind, c.conrelid::regclass::text AS rel, quote_ident(c.conname) AS name,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS definition
FROM pg_constraint c
WHERE c.conrelid IN (SELECT rel FROM loaded)
  AND (c.contype = 'f'
       OR c.contype = 'u' AND NOT EXISTS (
            SELECT 1 FROM pg_constraint f
            WHERE f.contype = 'f' AND f.conindid = c.conindid AND f.conrelid NOT IN (SELECT rel FROM loaded)))
UNION ALL
SELECT 'i', i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN (SELECT rel FROM loaded)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'));

DO $$
DECLARE r record;
BEGIN
  -- foreign keys first, then the unique constraints they may rest on, then plain indexes
  FOR r IN SELECT * FROM set_aside ORDER BY array_position('{f,u,i}', kind), name LOOP
    IF r.kind = 'i' THEN EXECUTE format('DROP INDEX %s', r.name);
    ELSE EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %s', r.rel, r.name);
    END IF;
  END LOOP;
  RAISE NOTICE 'set aside: %', (SELECT string_agg(name, ', ' ORDER BY name) FROM set_aside);
END $$;

-- @step townships
INSERT INTO townships (id, admin_code, name, geom)
SELECT k, pg_temp.township_code(k),
       pg_temp.place_name(70, k) || CASE WHEN pg_temp.rnd(72, k) < 0.6 THEN '镇' ELSE '乡' END,
       geom
FROM cells;

-- @step village locations
-- Population centres of the east and centre (weight ~ share of rural population around them, sigma
-- = spread in degrees of latitude) plus a few in the west; a village is drawn either around one of
-- them (normal distribution) or uniformly over the outline's box. A uniform one is kept everywhere
-- south-east of the Hu line (Heihe 127.5°E 50.2°N – Tengchong 98.5°E 25.0°N, ~94% of the people live
-- there) and ever less often north-west of it, down to one in eight 6° beyond it. Only points
-- inside the outline (in a township cell) are kept.
CREATE TEMP TABLE centres ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('北京', 116.40, 39.90, 8, 0.9), ('天津', 117.20, 39.13, 6, 0.7), ('石家庄', 114.51, 38.04, 10, 1.2),
  ('济南', 117.00, 36.65, 10, 1.2), ('青岛', 120.38, 36.07, 6, 0.8), ('临沂', 118.35, 35.10, 6, 0.9),
  ('徐州', 117.28, 34.20, 8, 1.0), ('郑州', 113.62, 34.75, 14, 1.4), ('南阳', 112.53, 33.00, 6, 1.0),
  ('阜阳', 115.81, 32.89, 6, 1.0), ('西安', 108.94, 34.34, 8, 1.1), ('太原', 112.55, 37.87, 6, 1.1),
  ('上海', 121.47, 31.23, 8, 0.7), ('南京', 118.80, 32.06, 8, 0.9), ('苏州', 120.59, 31.30, 6, 0.6),
  ('杭州', 120.16, 30.27, 8, 0.9), ('合肥', 117.23, 31.82, 10, 1.2), ('武汉', 114.31, 30.59, 10, 1.3),
  ('长沙', 112.94, 28.23, 10, 1.3), ('南昌', 115.86, 28.68, 8, 1.2), ('福州', 119.30, 26.08, 6, 0.9),
  ('厦门', 118.09, 24.48, 4, 0.7), ('广州', 113.26, 23.13, 12, 1.0), ('深圳', 114.06, 22.54, 6, 0.5),
  ('南宁', 108.37, 22.82, 8, 1.3), ('重庆', 106.55, 29.56, 10, 1.2), ('成都', 104.07, 30.67, 12, 1.2),
  ('贵阳', 106.63, 26.65, 6, 1.2), ('昆明', 102.83, 24.88, 6, 1.3), ('沈阳', 123.43, 41.80, 8, 1.2),
  ('长春', 125.32, 43.82, 4, 1.2), ('哈尔滨', 126.53, 45.80, 6, 1.4), ('兰州', 103.83, 36.06, 4, 1.2),
  ('呼和浩特', 111.75, 40.84, 2, 1.0), ('银川', 106.23, 38.49, 2, 0.8), ('西宁', 101.78, 36.62, 2, 0.8),
  ('乌鲁木齐', 87.62, 43.83, 2, 1.0), ('拉萨', 91.13, 29.65, 1, 0.7)
) AS c (name, lon, lat, weight, sigma);

-- One row per unit of weight, so a uniform draw picks a centre with a plain equi-join.
CREATE TEMP TABLE centre_slots ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY c.lon, w) - 1)::integer AS slot,
       c.lon::double precision AS lon, c.lat::double precision AS lat, c.sigma::double precision AS sigma
FROM centres c, generate_series(1, c.weight) AS w;
ANALYZE centre_slots;

-- 2.6 M candidates: about 30% around a centre (few fall in the sea) and 70% uniform (over half fall
-- outside the outline or in the thinly peopled west); the first 1,000,000 kept become the villages,
-- ~60% clustered and ~40% background.
CREATE TEMP TABLE village_points ON COMMIT DROP AS
WITH box AS MATERIALIZED (   -- four numbers: rows then do not carry the whole outline through the sort
  SELECT ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_YMin(geom) AS y0, ST_YMax(geom) AS y1 FROM outline
), draw AS (
  SELECT n, pg_temp.rnd(1, n) < 0.3 AS clustered,
         floor(pg_temp.rnd(2, n) * (SELECT count(*) FROM centre_slots))::integer AS slot,
         sqrt(-2 * ln(1 - pg_temp.rnd(3, n))) AS radius,   -- Box–Muller: normal offsets
         2 * pi() * pg_temp.rnd(4, n) AS angle,
         pg_temp.rnd(5, n) AS u, pg_temp.rnd(6, n) AS v, pg_temp.rnd(7, n) AS keep
  FROM generate_series(1, 2600000) AS n
), located AS MATERIALIZED (   -- compute each candidate's coordinates once
  SELECT n, clustered, keep,
         CASE WHEN clustered THEN c.lon + c.sigma * radius * cos(angle) / cos(radians(c.lat))
              ELSE x0 + u * (x1 - x0) END AS lon,
         CASE WHEN clustered THEN c.lat + c.sigma * radius * sin(angle)
              ELSE y0 + v * (y1 - y0) END AS lat
  FROM draw JOIN centre_slots c USING (slot), box
), kept AS (
  SELECT n, geom, floor(ST_X(geom) / 0.75)::integer AS i, floor(ST_Y(geom) / 0.75)::integer AS j
  FROM located, pg_temp.point(lon, lat) AS geom
  -- (lat - 25.0) - 0.869 * (lon - 98.5): degrees of latitude north-west of the Hu line
  WHERE clustered OR keep < 0.12 + 0.88 * least(greatest(1 - ((lat - 25.0) - 0.869 * (lon - 98.5)) / 6, 0), 1)
)
SELECT row_number() OVER (ORDER BY n) AS id, kept.geom, cells.k AS township
FROM kept JOIN cells USING (i, j)
WHERE cells.interior OR ST_Contains(cells.geom, kept.geom);

DO $$
DECLARE found bigint := (SELECT count(*) FROM village_points);
BEGIN
  RAISE NOTICE '% of 2,600,000 candidate locations are inside the outline and kept', found;
  IF found < 1000000 THEN RAISE 'only % village locations; draw more candidates', found; END IF;
END $$;
CREATE UNIQUE INDEX ON village_points (id);

-- @step villages
-- Population 100–5,000, skewed small (median ~700, mean ~1,500); 2.5–3.5 people per household;
-- 15–35% elderly, children or disabled.
INSERT INTO villages (id, admin_code, township_code, name, geom, population, households, vulnerable)
SELECT p.id, pg_temp.village_code(p.id), pg_temp.township_code(p.township),
       pg_temp.place_name(10, p.id) || '村', p.geom, pop.population,
       round(pop.population / (2.5 + pg_temp.rnd(13, p.id))),
       round(pop.population * (0.15 + 0.2 * pg_temp.rnd(14, p.id)))
FROM village_points p,
     LATERAL (SELECT (100 + round(4900 * pg_temp.rnd(12, p.id) ^ 2.5))::integer AS population) pop
WHERE p.id <= 1000000;

-- @step shelters
-- Shelters, depots, teams and hazards stand near a village picked at random (so they follow the
-- population), moved up to 2 km; a move that would leave the outline keeps the village's spot.
INSERT INTO shelters (id, name, geom, shelter_type, site_kind, shelter_class, capacity, effective_area_m2,
                      occupancy, status, facilities, manager, phone)
SELECT s, v.name || CASE a.site_kind WHEN 'school' THEN '小学' WHEN 'park' THEN '公园' WHEN 'square' THEN '广场'
                        WHEN 'stadium' THEN '体育馆' WHEN 'community_centre' THEN '社区服务中心' ELSE '' END || '避难场所',
       CASE WHEN ST_Contains(o.geom, j.geom) THEN j.geom ELSE v.geom END,
       CASE WHEN a.site_kind IN ('park', 'square') THEN 'outdoor' WHEN a.site_kind = 'other' THEN 'mixed'
            ELSE pg_temp.pick('{indoor,mixed}', '{7,3}', pg_temp.rnd(104, s)) END,
       a.site_kind,
       pg_temp.pick('{I,II,III}', '{1,3,6}', pg_temp.rnd(105, s)),
       a.capacity,
       round(a.capacity * (1.5 + 1.5 * pg_temp.rnd(106, s))),   -- 1.5–3 m² per person (GB 21734)
       CASE a.status WHEN 'full' THEN a.capacity
                     WHEN 'open' THEN CASE WHEN pg_temp.rnd(107, s) < 0.2 THEN floor(a.capacity * pg_temp.rnd(108, s))::integer ELSE 0 END
                     ELSE 0 END,
       a.status,
       ARRAY(SELECT f FROM unnest('{water,power,toilet,medical,kitchen,broadcast,lighting}'::text[]) WITH ORDINALITY AS t(f, k)
             WHERE pg_temp.rnd(109, s * 10 + k) < 0.6),
       pg_temp.person_name(900, s), pg_temp.phone(902, s)
FROM generate_series(1, 100000) AS s
JOIN villages v ON v.id = 1 + floor(pg_temp.rnd(100, s) * 1000000)::bigint
CROSS JOIN LATERAL (SELECT pg_temp.jitter(v.geom, pg_temp.rnd(101, s), pg_temp.rnd(102, s), 2000) AS geom) j
CROSS JOIN LATERAL (SELECT
  pg_temp.pick('{school,park,square,stadium,community_centre,other}', '{40,15,20,5,15,5}', pg_temp.rnd(103, s)) AS site_kind,
  (100 + round(9900 * pg_temp.rnd(110, s) ^ 3 / 10) * 10)::integer AS capacity,   -- 100–10,000, median ~1,300
  pg_temp.pick('{open,closed,full}', '{90,7,3}', pg_temp.rnd(111, s)) AS status) a
CROSS JOIN outline o;

-- @step depots
-- County / township / village depots with the standard floor areas 2000 / 200 / 12 m² (建标121-2009), ±.
INSERT INTO depots (id, name, geom, level, floor_area_m2, manager, phone)
SELECT d, v.name || CASE l.level WHEN 'county' THEN '县级' WHEN 'township' THEN '乡镇' ELSE '村级' END || '应急物资储备库',
       CASE WHEN ST_Contains(o.geom, j.geom) THEN j.geom ELSE v.geom END,
       l.level,
       round((CASE l.level WHEN 'county' THEN 2000 WHEN 'township' THEN 200 ELSE 12 END) * (0.8 + 0.7 * pg_temp.rnd(204, d))),
       pg_temp.person_name(900, d + 1000000), pg_temp.phone(902, d + 1000000)
FROM generate_series(1, 20000) AS d
JOIN villages v ON v.id = 1 + floor(pg_temp.rnd(200, d) * 1000000)::bigint
CROSS JOIN LATERAL (SELECT pg_temp.jitter(v.geom, pg_temp.rnd(201, d), pg_temp.rnd(202, d), 2000) AS geom) j
CROSS JOIN LATERAL (SELECT pg_temp.pick('{county,township,village}', '{5,35,60}', pg_temp.rnd(203, d)) AS level) l
CROSS JOIN outline o;

-- @step depot stock
-- Every depot holds the basics (tents, quilts, water, food, first-aid kits) and each other catalogue
-- item with probability 0.4, ~9 rows per depot. Quantity = a village depot's typical amount of the
-- item × 1 / 8 / 50 for village / township / county × 0.2–1.8; one row in 20 has run out.
CREATE TEMP TABLE item_amounts ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('tent', 10), ('quilt', 30), ('folding_bed', 20), ('life_jacket', 20), ('generator', 1), ('water', 50),
  ('food', 50), ('sandbag', 500), ('boat', 1), ('pump', 2), ('extinguisher', 10), ('first_aid_kit', 10),
  ('raincoat', 20), ('flashlight', 20), ('chainsaw', 1), ('wind_extinguisher', 2)
) AS a (code, per_village);

INSERT INTO depot_stock (depot_id, item_code, quantity, reorder_level, expires_on, updated_at)
SELECT d.id, i.code,
       CASE WHEN pg_temp.rnd(301, x.n) < 0.05 THEN 0 ELSE round(x.typical * (0.2 + 1.6 * pg_temp.rnd(302, x.n))) END,
       round(x.typical * 0.3),
       CASE WHEN i.category IN ('water_food', 'medical') THEN DATE '2026-12-01' + floor(730 * pg_temp.rnd(303, x.n))::integer END,
       TIMESTAMPTZ '2026-11-01 09:00+08' - make_interval(days => floor(365 * pg_temp.rnd(304, x.n))::integer)
FROM depots d
CROSS JOIN (SELECT code, category, row_number() OVER (ORDER BY code COLLATE "C") AS k FROM items) i
LEFT JOIN item_amounts a ON a.code = i.code
CROSS JOIN LATERAL (SELECT d.id * 1000 + i.k AS n,   -- one stream position per (depot, item)
                           coalesce(a.per_village, 10) * CASE d.level WHEN 'county' THEN 50 WHEN 'township' THEN 8 ELSE 1 END AS typical) x
WHERE i.code IN ('tent', 'quilt', 'water', 'food', 'first_aid_kit') OR pg_temp.rnd(300, x.n) < 0.4;

-- @step teams
-- Specialties: the team type's own skills, plus one more in three teams of ten.
INSERT INTO teams (id, name, geom, team_type, specialties, headcount, equipment, status, contact, phone)
SELECT t, v.name || CASE y.team_type WHEN 'fire_rescue' THEN '消防救援站' WHEN 'forest_fire' THEN '森林消防队'
                        WHEN 'mine_rescue' THEN '矿山救护队' WHEN 'hazmat' THEN '危化品救援队' WHEN 'medical' THEN '医疗救援队'
                        WHEN 'water_rescue' THEN '水上救援队' WHEN 'volunteer' THEN '志愿者服务队' ELSE '民兵应急连' END,
       CASE WHEN ST_Contains(o.geom, j.geom) THEN j.geom ELSE v.geom END,
       y.team_type,
       CASE WHEN pg_temp.rnd(403, t) < 0.3 AND NOT y.extra = ANY (y.own) THEN y.own || y.extra ELSE y.own END,
       CASE y.team_type WHEN 'fire_rescue' THEN 20 + floor(60 * pg_temp.rnd(404, t))
                        WHEN 'volunteer' THEN 10 + floor(190 * pg_temp.rnd(404, t))
                        WHEN 'militia' THEN 30 + floor(120 * pg_temp.rnd(404, t))
                        ELSE 8 + floor(40 * pg_temp.rnd(404, t)) END,
       CASE y.team_type WHEN 'fire_rescue' THEN '消防车,破拆工具,救援绳索' WHEN 'water_rescue' THEN '冲锋舟,救生衣,抛投器'
                        WHEN 'medical' THEN '救护车,急救包' WHEN 'hazmat' THEN '防化服,侦检仪,洗消设备' END,
       pg_temp.pick('{standby,deployed}', '{9,1}', pg_temp.rnd(405, t)),
       pg_temp.person_name(900, t + 2000000), pg_temp.phone(902, t + 2000000)
FROM generate_series(1, 50000) AS t
JOIN villages v ON v.id = 1 + floor(pg_temp.rnd(400, t) * 1000000)::bigint
CROSS JOIN LATERAL (SELECT pg_temp.jitter(v.geom, pg_temp.rnd(401, t), pg_temp.rnd(402, t), 2000) AS geom) j
CROSS JOIN LATERAL (SELECT team_type,
    CASE team_type WHEN 'fire_rescue' THEN '{fire_fighting,collapse_search}' WHEN 'forest_fire' THEN '{forest_fire}'
                   WHEN 'mine_rescue' THEN '{mine_rescue}' WHEN 'hazmat' THEN '{hazmat}' WHEN 'medical' THEN '{first_aid,medical}'
                   WHEN 'water_rescue' THEN '{water_rescue,diving}' WHEN 'volunteer' THEN '{first_aid}'
                   ELSE '{flood_control}' END::text[] AS own,
    pg_temp.pick('{hazmat,water_rescue,rope_rescue,collapse_search,first_aid,drone,communications}',
                 '{1,1,1,1,1,1,1}', pg_temp.rnd(407, t)) AS extra
  FROM (SELECT pg_temp.pick('{fire_rescue,forest_fire,mine_rescue,hazmat,medical,water_rescue,volunteer,militia}',
                            '{15,8,4,5,12,8,30,18}', pg_temp.rnd(406, t)) AS team_type) tt) y
CROSS JOIN outline o;

-- @step hazards
-- Mostly points; flood zones and forest-fire zones are areas: a disc of 1–5 km around the point,
-- buffered on the spheroid, clipped to the outline when it crosses the coast or a border.
CREATE TEMP TABLE hazard_kinds ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('chemical_plant',   15, false, 1000, 5000, '化工园区'), ('fuel_station',     25, false,  100,  300, '加油站'),
  ('mine',              8, false,  500, 2000, '矿山'),     ('tailings_pond',     4, false, 1000, 5000, '尾矿库'),
  ('landslide',        10, false,  200, 1000, '滑坡隐患点'), ('collapse',         5, false,  200,  800, '崩塌隐患点'),
  ('debris_flow',       5, false,  300, 1500, '泥石流沟'), ('flood_zone',       10, true,     0,  500, '洪涝风险区'),
  ('reservoir',         6, false, 2000, 10000, '水库'),    ('fireworks',         4, false,  300, 1000, '烟花爆竹仓库'),
  ('forest_fire_zone',  6, true,     0, 1000, '森林火险区'), ('other',             2, false,  100, 1000, '风险点')
) AS k (kind, weight, is_area, radius_min, radius_max, label);

INSERT INTO hazards (id, name, geom, kind, risk_level, influence_radius_m, responsible_unit, contact, phone,
                     last_inspected)
SELECT h, v.name || k.label,
       CASE WHEN NOT k.is_area THEN p.geom
            WHEN ST_Within(p.zone, o.geom) THEN p.zone
            ELSE ST_CollectionExtract(ST_Intersection(p.zone, o.geom), 3) END,
       k.kind,
       pg_temp.pick('{1,2,3,4}', '{5,15,40,40}', pg_temp.rnd(504, h))::smallint,
       round(k.radius_min + (k.radius_max - k.radius_min) * pg_temp.rnd(505, h)),
       v.name || '村民委员会', pg_temp.person_name(900, h + 3000000), pg_temp.phone(902, h + 3000000),
       DATE '2026-11-01' - floor(730 * pg_temp.rnd(506, h))::integer
FROM generate_series(1, 2000) AS h
CROSS JOIN (SELECT array_agg(kind ORDER BY kind COLLATE "C") AS kinds,
                   array_agg(weight::double precision ORDER BY kind COLLATE "C") AS weights FROM hazard_kinds) w
JOIN hazard_kinds k ON k.kind = pg_temp.pick(w.kinds, w.weights, pg_temp.rnd(503, h))
JOIN villages v ON v.id = 1 + floor(pg_temp.rnd(500, h) * 1000000)::bigint
CROSS JOIN LATERAL (SELECT pg_temp.jitter(v.geom, pg_temp.rnd(501, h), pg_temp.rnd(502, h), 2000) AS geom) j
CROSS JOIN outline o
CROSS JOIN LATERAL (SELECT CASE WHEN ST_Contains(o.geom, j.geom) THEN j.geom ELSE v.geom END AS geom) p0
CROSS JOIN LATERAL (SELECT p0.geom,
                           ST_Buffer(p0.geom::geography, 1000 + 4000 * pg_temp.rnd(507, h), 'quad_segs=8')::geometry AS zone) p;

-- @step indexes and keys, ids
-- Back exactly as they were: plain indexes, then unique constraints, then the foreign keys on them.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM set_aside ORDER BY array_position('{i,u,f}', kind), name LOOP
    EXECUTE r.definition;
  END LOOP;
END $$;

-- Rows were inserted with explicit ids; features created later through the API continue after them.
SELECT setval(pg_get_serial_sequence(t, 'id'), ids.max_id)
FROM (VALUES ('townships', (SELECT max(id) FROM townships)), ('villages', (SELECT max(id) FROM villages)),
             ('shelters', (SELECT max(id) FROM shelters)), ('depots', (SELECT max(id) FROM depots)),
             ('teams', (SELECT max(id) FROM teams)), ('hazards', (SELECT max(id) FROM hazards))) AS ids (t, max_id);
COMMIT;

-- @step vacuum analyze
-- Fresh statistics for the planner, and a visibility map so index-only scans work from the first query.
VACUUM (ANALYZE) townships, villages, shelters, depots, depot_stock, teams, hazards;

-- From which depots, nearest first (or quickest by road), should each needed item be drawn until the need is met?
-- :here the point as EWKT 'SRID=4326;POINT(lon lat)' · :needs JSON [{item, quantity}] · :max_distance_m metres or NULL (no limit).
-- :times NULL (straight: nearest first by geodesic distance) or, by road, JSON [{depot_id, travel_time_s,
-- road_distance_m}] from the engine (server/roads): only those depots, quickest first (seconds, metres).
-- Distances are geodesic on the WGS84 spheroid. Uses depot_stock_item_quantity (who holds the item)
-- and depots_geog_gist (ST_DWithin) when a maximum distance is given.
WITH needs AS (
  SELECT item, quantity AS need FROM json_to_recordset(:needs::json) AS n(item text, quantity int)
),
times AS (
  SELECT * FROM json_to_recordset(:times::json) AS t(depot_id bigint, travel_time_s float8, road_distance_m float8)
),
offers AS (
  SELECT n.item, n.need, d.id AS depot_id, d.name, s.quantity AS available,
         ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat,
         ST_Distance(d.geom::geography, :here::geography) AS distance_m,
         t.travel_time_s, t.road_distance_m
  FROM needs n
  JOIN depot_stock s ON s.item_code = n.item AND s.quantity > 0
  JOIN depots d ON d.id = s.depot_id
  LEFT JOIN times t ON t.depot_id = d.id
  WHERE (:max_distance_m::float8 IS NULL OR ST_DWithin(d.geom::geography, :here::geography, :max_distance_m::float8 + 0.001))
    AND (:times::json IS NULL OR t.depot_id IS NOT NULL)
),
ranked AS (
  -- what the nearer (quicker) depots already supply of the same item
  SELECT o.*, coalesce(sum(available) OVER (PARTITION BY item ORDER BY coalesce(travel_time_s, distance_m), depot_id
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM offers o
)
SELECT depot_id, name, item, least(available, need - before)::int AS quantity, available, distance_m, travel_time_s, road_distance_m, lon, lat
FROM ranked
WHERE before < need
ORDER BY coalesce(travel_time_s, distance_m), depot_id, item

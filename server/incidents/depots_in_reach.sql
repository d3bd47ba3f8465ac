-- The stock of each usable depot (usable_depots, migration 011) in items of :items, with the depot's
-- place and its geodesic distance (metres) to the incident's area (0 inside it), nearest first.
-- Straight-line reach filters here (:reach_m, null = no limit); reach by road is the engine's.
SELECT d.id::int AS depot_id, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, s.item_code AS item, s.quantity::float8 AS quantity,
       ST_Distance(d.geom::geography, a.geom::geography) AS distance_m
FROM incidents a
JOIN usable_depots d ON :reach_m::float8 IS NULL OR ST_DWithin(d.geom::geography, a.geom::geography, :reach_m::float8)
JOIN depot_stock s ON s.depot_id = d.id AND s.quantity > 0 AND s.item_code = ANY(:items::text[])
WHERE a.id = :incident
ORDER BY distance_m, d.id

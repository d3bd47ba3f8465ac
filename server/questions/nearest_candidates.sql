-- Which features of a layer pass GET /nearest's filters, nearest first in a straight line? The candidates
-- a question by road ranks by travel time: the same rows nearest.sql answers, with the same filters.
-- :here the origin, SRID 4326 (EWKT point, or a hazard's geometry as hex EWKB) · :candidates at least
-- this many (every row within the largest of their geodesic distances) · the filters as in nearest.sql.
-- Out: id, geodesic metres from :here (WGS84 spheroid), the feature's point (degrees EPSG:4326).
-- Index: nearest_exact_<source> (migration 019), on <layer>_geog_gist.
SELECT n.id::float8 AS id, n.distance_m, ST_X(ST_PointOnSurface(n.geom)) AS lon, ST_Y(ST_PointOnSurface(n.geom)) AS lat
FROM nearest_exact_{{source}}(:here::geography, :candidates::int, :max_distance_m::float8, :item::text, :min_quantity::int,
                            :specialty::text, :status::text, :min_free_capacity::int, {{outside_zone}}, :zone_radius_m::float8) n
ORDER BY n.distance_m, n.id

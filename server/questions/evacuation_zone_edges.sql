-- Which road edges meet the area being evacuated? The zone as evacuation_plan.sql takes it: within
-- :zone_radius_m geodesic metres of :zone (GeoJSON; a polygon's own area included), in_zone (migration 019),
-- WGS84 spheroid. Ids as float8 (exact below 2^53). Index: road_edges' geography index.
SELECT coalesce(array_agg(e.id::float8), '{}') AS edge_ids
FROM road_edges e
WHERE in_zone(ST_GeomFromGeoJSON(:zone)::geography, :zone_radius_m::float8, e.geom::geography)

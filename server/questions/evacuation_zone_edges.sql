-- Which usable road edges meet the area being evacuated? The zone as evacuation_plan.sql takes it: within
-- :zone_radius_m geodesic metres of :zone (GeoJSON; a polygon's own area included), in_zone (migration 019),
-- WGS84 spheroid. Ids as float8 (exact below 2^53). A closed edge is never driven, so not asked about.
-- Index: road_edges_usable_geog_gist (migration 016), searched once per part of the zone (an area of many
-- parts, e.g. a flood about each of a thousand villages, would otherwise test every edge of its extent
-- against every part).
SELECT coalesce(array_agg(DISTINCT e.id::float8), '{}') AS edge_ids
FROM ST_Dump(ST_GeomFromGeoJSON(:zone)) part
JOIN road_edges e ON in_zone(part.geom::geography, :zone_radius_m::float8, e.geom::geography) AND (e.cost >= 0 OR e.reverse_cost >= 0)

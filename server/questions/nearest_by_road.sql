-- The answer of GET /nearest?by=road: the features found nearest by travel time (server/roads), in that
-- order, as GeoJSON Feature texts. :ids the features' ids, rank by rank, with their :distance_m (straight,
-- geodesic metres from the origin), :travel_time_s (seconds), :road_distance_m and :off_road_m (metres
-- travelled in all, and of that off road) and :routes (GeoJSON LineString texts, SRID 4326).
-- :origin_lon, :origin_lat the question's point (degrees EPSG:4326), for the bearing (degrees from north,
-- initial, on the spheroid). {{table}} the layer's table, for {{feature}} over `t` and `a`.
-- Index: the layer's primary key.
WITH a AS (
  SELECT x.id::bigint AS id, x.distance_m, x.travel_time_s, x.road_distance_m, x.off_road_m, x.route::json AS route, x.rank
  FROM unnest(:ids::float8[], :distance_m::float8[], :travel_time_s::float8[], :road_distance_m::float8[], :off_road_m::float8[], :routes::text[])
       WITH ORDINALITY AS x(id, distance_m, travel_time_s, road_distance_m, off_road_m, route, rank)
)
SELECT {{feature}} AS feature
FROM a JOIN {{table}} t ON t.id = a.id
ORDER BY a.rank

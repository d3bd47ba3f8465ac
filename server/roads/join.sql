-- Where does each point join the road network? The nearest point of the nearest usable edge of road_edges
-- (cost ≥ 0 or reverse_cost ≥ 0: a closed road is not usable), by geodesic distance on the WGS84
-- spheroid, however far: the caller decides what is within reach.
-- :lons, :lats degrees EPSG:4326, one point per element (answered by `i`, 1-based).
-- Out: the edge (id), the fraction of the edge from its source and the metres off road (ST_Distance on the
-- spheroid); NULLs when the network has no usable edge. The fraction is ST_LineLocatePoint's in local
-- metres: the edge and point scaled about the edge's first latitude φ, east by cos φ and north by M/N
-- (the WGS84 radii of curvature, M/N = (1 - e²)/(1 - e² sin² φ)), as nearest.sql does for bearings. In
-- plain degrees the nearest point of an oblique road slides along it (tens of metres for a point a few
-- hundred metres off), and a fraction of degrees is not a fraction of the road's length. route.ts and
-- service_area.sql cut edges in the same frame.
-- Exactly the nearest, as nearest_exact_* (migration 019): the 4 nearest by road_edges' geography index
-- (KNN, sphere distance), the largest of their spheroid distances bounding the nearest's, then every
-- edge within that bound (+1 cm) by the same index, ranked by spheroid distance.
SELECT p.i::int AS i, j.id::float8 AS edge_id, ST_LineLocatePoint(ST_Scale(j.geom, k.x, k.y), ST_Scale(p.here, k.x, k.y)) AS fraction, j.off_road_m
FROM unnest(:lons::float8[], :lats::float8[]) WITH ORDINALITY AS q(lon, lat, i)
CROSS JOIN LATERAL (SELECT q.i, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326) AS here) p
LEFT JOIN LATERAL (
  SELECT e.id, e.geom, ST_Distance(e.geom::geography, p.here::geography) AS off_road_m
  FROM road_edges e
  WHERE (e.cost >= 0 OR e.reverse_cost >= 0)
    AND ST_DWithin(e.geom::geography, p.here::geography,
                   (SELECT max(ST_Distance(k.geom::geography, p.here::geography)) + 0.01
                    FROM (SELECT geom FROM road_edges
                          WHERE cost >= 0 OR reverse_cost >= 0
                          ORDER BY geom::geography <-> p.here::geography LIMIT 4) k))
  ORDER BY off_road_m, e.id
  LIMIT 1
) j ON true
LEFT JOIN LATERAL (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
                   FROM ST_Y(ST_StartPoint(j.geom)) AS lat) k ON true
ORDER BY p.i

-- The straight distance of a village–shelter pair, geodesic metres on the WGS84 spheroid: an expression
-- (placed into evacuation_plan.sql and evacuation_pair_distances.sql, so that both give the same
-- metres), over a village a and a shelter s (geom EPSG:4326), their chord chord.c (metres, the straight
-- line through the Earth between them, geocentric EPSG:4978, never longer than the geodesic) and the
-- zone's reach zone.reach (metres). Up to 30 km it is the chord plus the arc's excess over it,
-- c + c³/24R² (2.8 cm at 30 km; the radius of curvature differs from R by at most 1.1 %, so this is
-- within 0.4 mm of the geodesic), ten times cheaper than the geodesic itself. Further,
-- ST_DistanceSpheroid on WGS84: the geodesic that ST_Distance(geography) computes (the same
-- lwgeom_distance_spheroid), without geography's per-call caching machinery, which costs twice as much
-- for points.
CASE WHEN zone.reach <= 30000.001 THEN chord.c + chord.c * chord.c * chord.c / (24 * 6371008.8 * 6371008.8)
     ELSE ST_DistanceSpheroid(a.geom, s.geom, 'SPHEROID["WGS 84",6378137,298.257223563]') END

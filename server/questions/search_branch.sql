(SELECT {{layer}}::text AS layer, {{layer_order}} AS layer_order, {{rank}} AS rank, t.id, t.name, ST_PointOnSurface(t.geom) AS at, t.geom::box2d AS box,
        CASE WHEN lower(t.name) = lower(:q) THEN 0 WHEN starts_with(lower(t.name), lower(:q)) THEN 1 ELSE 2 END AS match
   FROM {{table}} t
  WHERE strpos(lower(t.name), lower(:q)) > 0 AND t.geom IS NOT NULL
  ORDER BY match, length(t.name), t.id
  LIMIT :per_layer)

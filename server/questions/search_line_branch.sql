(SELECT {{layer}}::text AS layer, {{layer_order}} AS layer_order, {{rank}} AS rank, min(t.id) AS id, t.name,
        ST_PointOnSurface((array_agg(t.geom ORDER BY t.id))[1]) AS at, ST_Extent(t.geom)::box2d AS box,
        CASE WHEN lower(t.name) = lower(:q) THEN 0 WHEN starts_with(lower(t.name), lower(:q)) THEN 1 ELSE 2 END AS match
   FROM {{table}} t
  WHERE strpos(lower(t.name), lower(:q)) > 0
  GROUP BY t.name
  ORDER BY match, length(t.name), min(t.id)
  LIMIT :per_layer)

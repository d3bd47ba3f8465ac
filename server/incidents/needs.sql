-- What the people of an incident's area need, by the needs norms, and what was sent to it.
-- The area: incidents.geom (MultiPolygon, EPSG:4326); its villages are those whose point it covers
-- (villages_geom_gist). Households where a village gives none: its people ÷ :persons_per_household.
-- One row per norm; quantities in the item's unit.
WITH area AS (SELECT geom FROM incidents WHERE id = :incident),
people AS (
  SELECT count(*)::int AS villages,
         coalesce(sum(v.population), 0)::bigint AS population,
         coalesce(sum(v.households), 0)::bigint AS known_households,
         coalesce(sum(v.population) FILTER (WHERE v.households IS NULL), 0)::bigint AS without_households
  FROM villages v, area WHERE ST_Covers(area.geom, v.geom)
),
sent AS (
  SELECT di.item_code, sum(di.quantity)::bigint AS quantity
  FROM dispatches d JOIN dispatch_items di ON di.dispatch_id = d.id
  WHERE d.incident_id = :incident AND d.status <> 'cancelled'
  GROUP BY di.item_code
)
SELECT p.villages, p.population::float8 AS population,
       (p.known_households + ceil(p.without_households / :persons_per_household::float8))::float8 AS households,
       n.item_code AS item, n.quantity::float8 AS per_quantity, n.per, i.name_zh, i.name_en, i.unit_zh, i.unit_en,
       coalesce(s.quantity, 0)::float8 AS dispatched
FROM people p
LEFT JOIN needs_norms n ON true
LEFT JOIN items i ON i.code = n.item_code
LEFT JOIN sent s ON s.item_code = n.item_code
ORDER BY i.category, n.item_code

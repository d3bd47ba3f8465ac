-- An incident's timeline, oldest first: who did what and when, read from the audit trail (which names
-- the actor of every write): the incident opened, changed and closed; stock sent, delivered, cancelled;
-- teams deployed and released; the commander's notes; and the occupancy reported by shelters within
-- :shelter_reach_m metres (geodesic) of the area while the incident was open. Uses audit_entity.
WITH i AS (
  SELECT id, geom, started_at, coalesce(ended_at, 'infinity') AS until FROM incidents WHERE id = :incident
),
own AS (
  SELECT a.* FROM audit a, i
  WHERE (a.entity = 'incidents' AND a.entity_id = i.id::text)
     OR (a.entity IN ('dispatches', 'deployments', 'incident_notes') AND (coalesce(a.after, a.before) ->> 'incident_id')::bigint = i.id)
)
SELECT at, actor AS by, kind, detail FROM (
  SELECT a.at, a.actor, a.id AS seq,
         CASE WHEN a.action = 'insert' THEN 'incident_opened'
              WHEN a.before ->> 'ended_at' IS NULL AND a.after ->> 'ended_at' IS NOT NULL THEN 'incident_closed'
              ELSE 'incident_changed' END AS kind,
         json_build_object('name', a.after ->> 'name', 'level', (a.after ->> 'level')::int, 'kind', a.after ->> 'kind') AS detail
  FROM own a WHERE a.entity = 'incidents'
  UNION ALL
  SELECT a.at, a.actor, a.id,
         CASE WHEN a.action = 'insert' THEN 'dispatch_sent' ELSE 'dispatch_' || (a.after ->> 'status') END,
         json_build_object('dispatch_id', d.id, 'depot_id', d.depot_id, 'depot_name', p.name,
           'items', (SELECT json_agg(json_build_object('item', di.item_code, 'name_zh', it.name_zh, 'quantity', di.quantity, 'unit_zh', it.unit_zh) ORDER BY di.item_code)
                       FROM dispatch_items di JOIN items it ON it.code = di.item_code WHERE di.dispatch_id = d.id))
  FROM own a JOIN dispatches d ON d.id::text = a.entity_id JOIN depots p ON p.id = d.depot_id
  WHERE a.entity = 'dispatches' AND (a.action = 'insert' OR a.before ->> 'status' IS DISTINCT FROM a.after ->> 'status')
  UNION ALL
  SELECT a.at, a.actor, a.id,
         CASE WHEN a.action = 'insert' THEN 'team_deployed' ELSE 'team_released' END,
         json_build_object('deployment_id', d.id, 'team_id', d.team_id, 'team_name', t.name)
  FROM own a JOIN deployments d ON d.id::text = a.entity_id JOIN teams t ON t.id = d.team_id
  WHERE a.entity = 'deployments' AND (a.action = 'insert' OR a.before ->> 'released_at' IS NULL AND a.after ->> 'released_at' IS NOT NULL)
  UNION ALL
  SELECT a.at, a.actor, a.id, 'note', json_build_object('note_id', (a.after ->> 'id')::bigint, 'text', a.after ->> 'text')
  FROM own a WHERE a.entity = 'incident_notes' AND a.action = 'insert'
  UNION ALL
  SELECT a.at, a.actor, a.id, 'occupancy_reported',
         json_build_object('shelter_id', s.id, 'shelter_name', s.name, 'occupancy', (a.after ->> 'occupancy')::int,
                           'previous', (a.before ->> 'occupancy')::int, 'capacity', s.capacity)
  FROM i
  JOIN shelters s ON ST_DWithin(s.geom::geography, i.geom::geography, :shelter_reach_m::float8)
  JOIN audit a ON a.entity = 'shelters' AND a.entity_id = s.id::text AND a.action = 'update'
              AND a.at BETWEEN i.started_at AND i.until
              AND a.before ->> 'occupancy' IS DISTINCT FROM a.after ->> 'occupancy'
) t
ORDER BY at, seq

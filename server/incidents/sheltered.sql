-- Who is sheltered for an incident: the shelters within :shelter_reach_m metres (geodesic) of its area
-- (shelters_geog_gist) that reported their occupancy while it was open (the audit of shelters.occupancy,
-- audit_entity), each with the occupancy it last reported then — for a closed incident, as it stood when
-- the incident ended, not what the shelter holds today. People already in a shelter when it reports count.
WITH i AS (SELECT geom, started_at, coalesce(ended_at, 'infinity') AS until FROM incidents WHERE id = :incident)
SELECT s.id::int AS id, s.name, r.occupancy, s.capacity, r.at AS reported_at
FROM i
JOIN shelters s ON ST_DWithin(s.geom::geography, i.geom::geography, :shelter_reach_m::float8)
JOIN LATERAL (SELECT a.at, (a.after ->> 'occupancy')::int AS occupancy FROM audit a
               WHERE a.entity = 'shelters' AND a.entity_id = s.id::text AND a.action = 'update'
                 AND a.at BETWEEN i.started_at AND i.until
                 AND a.before ->> 'occupancy' IS DISTINCT FROM a.after ->> 'occupancy'
               ORDER BY a.at DESC, a.id DESC LIMIT 1) r ON true
ORDER BY s.id

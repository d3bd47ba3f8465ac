-- The people of an incident's area and where they are sheltered, for its situation report.
-- villages: those whose point the area covers (villages_geom_gist), with their township's name.
-- shelters: within :shelter_reach_m metres (geodesic) of the area that reported their occupancy while the
-- incident was open (audit of shelters.occupancy); their occupancy now counts as sheltered for it.
WITH i AS (SELECT geom, started_at, coalesce(ended_at, 'infinity') AS until FROM incidents WHERE id = :incident)
SELECT
  (SELECT coalesce(json_agg(json_build_object('id', v.id, 'name', v.name, 'township', t.name, 'population', v.population,
                                              'households', v.households) ORDER BY v.population DESC, v.id), '[]')
     FROM i JOIN villages v ON ST_Covers(i.geom, v.geom) LEFT JOIN townships t ON t.admin_code = v.township_code) AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'occupancy', s.occupancy, 'capacity', s.capacity,
                                              'reported_at', r.at) ORDER BY s.id), '[]')
     FROM i JOIN shelters s ON ST_DWithin(s.geom::geography, i.geom::geography, :shelter_reach_m::float8)
     JOIN LATERAL (SELECT max(a.at) AS at FROM audit a
                    WHERE a.entity = 'shelters' AND a.entity_id = s.id::text AND a.action = 'update'
                      AND a.at BETWEEN i.started_at AND i.until
                      AND a.before ->> 'occupancy' IS DISTINCT FROM a.after ->> 'occupancy') r ON r.at IS NOT NULL) AS shelters

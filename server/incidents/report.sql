-- The people of an incident's area, for its situation report: the villages whose point the area covers
-- (villages_geom_gist), with their township's name, most people first.
WITH i AS (SELECT geom FROM incidents WHERE id = :incident)
SELECT coalesce(json_agg(json_build_object('id', v.id, 'name', v.name, 'township', t.name, 'population', v.population,
                                           'households', v.households) ORDER BY v.population DESC, v.id), '[]') AS villages
FROM i JOIN villages v ON ST_Covers(i.geom, v.geom) LEFT JOIN townships t ON t.admin_code = v.township_code

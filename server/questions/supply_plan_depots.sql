-- Which depots hold some of the needed items (the ones a supply plan by road times)? :items text[] item
-- codes. Out: id and point (degrees EPSG:4326), by id. Index: depot_stock_item_quantity, depots' primary key.
SELECT d.id::float8 AS id, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
FROM depots d
WHERE EXISTS (SELECT 1 FROM depot_stock s WHERE s.depot_id = d.id AND s.item_code = ANY(:items::text[]) AND s.quantity > 0)
ORDER BY d.id

/**
 * The conformance classes implemented, exactly (QGIS and GDAL trust this list): Part 1 Core, GeoJSON,
 * HTML and OpenAPI 3.0, and from Part 3 only the queryables resource and simple `name=value` query
 * parameters on them; no CQL2 filter, no datetime, no other CRS.
 */
export const CONFORMANCE_CLASSES = [
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
  "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
  "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
] as const;

/** WGS84 longitude/latitude, the only CRS served (Part 1 §11). */
export const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

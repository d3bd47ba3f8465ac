/**
 * The coordinate systems a file may be in without saying more than its EPSG code (`crs=EPSG:4547`, a
 * GeoPackage's organization code, a .prj's AUTHORITY): proj4 definitions, as PROJ's own database gives
 * them. The Chinese and UTM zone series are generated from their rule, not copied one by one.
 */
export interface EpsgDefinition {
  name: string;
  proj4: string;
}

const CGCS2000 = "+ellps=GRS80 +units=m +no_defs";

function definitions(): Map<number, EpsgDefinition> {
  const d = new Map<number, EpsgDefinition>([
    [4326, { name: "WGS 84", proj4: "+proj=longlat +datum=WGS84 +no_defs" }],
    [4490, { name: "CGCS2000", proj4: "+proj=longlat +ellps=GRS80 +no_defs" }],
    [3824, { name: "TWD97", proj4: "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs" }],
    [
      3857,
      { name: "WGS 84 / Pseudo-Mercator", proj4: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs" },
    ],
  ]);
  // TWD97 / TM2: zone 119 (Penghu, Kinmen) and zone 121 (Taiwan island)
  for (const [code, lon] of [
    [3825, 119],
    [3826, 121],
  ] as const)
    d.set(code, {
      name: `TWD97 / TM2 zone ${lon}`,
      proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon} +k=0.9999 +x_0=250000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`,
    });
  // CGCS2000 Gauss-Krüger: 6-degree zones 13–23 (4491–4501 with the zone in the false easting, 4502–4512 without)
  // and 3-degree zones 25–45 (4513–4533 with, 4534–4554 without), central meridians 75°E–135°E
  for (let i = 0; i <= 10; i++) {
    const zone = 13 + i,
      lon = 75 + 6 * i;
    d.set(4491 + i, { name: `CGCS2000 / Gauss-Kruger zone ${zone}`, proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon} +k=1 +x_0=${zone}500000 +y_0=0 ${CGCS2000}` });
    d.set(4502 + i, { name: `CGCS2000 / Gauss-Kruger CM ${lon}E`, proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon} +k=1 +x_0=500000 +y_0=0 ${CGCS2000}` });
  }
  for (let i = 0; i <= 20; i++) {
    const zone = 25 + i,
      lon = 75 + 3 * i;
    d.set(4513 + i, {
      name: `CGCS2000 / 3-degree Gauss-Kruger zone ${zone}`,
      proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon} +k=1 +x_0=${zone}500000 +y_0=0 ${CGCS2000}`,
    });
    d.set(4534 + i, { name: `CGCS2000 / 3-degree Gauss-Kruger CM ${lon}E`, proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon} +k=1 +x_0=500000 +y_0=0 ${CGCS2000}` });
  }
  // WGS 84 / UTM zones 1–60, north (326xx) and south (327xx)
  for (let zone = 1; zone <= 60; zone++) {
    d.set(32600 + zone, { name: `WGS 84 / UTM zone ${zone}N`, proj4: `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs` });
    d.set(32700 + zone, { name: `WGS 84 / UTM zone ${zone}S`, proj4: `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs` });
  }
  return d;
}

export const EPSG_DEFINITIONS: ReadonlyMap<number, EpsgDefinition> = definitions();

-- The spatial index of feature table {{table}} (a bare name, quoted here: it is part of the index's
-- names too), geometry column geom, primary key fid (GeoPackage 1.2 §F.3 gpkg_rtree_index): built in
-- one statement after the bulk insert, then kept in step by the standard's triggers when someone
-- edits the file (ST_* are functions every GeoPackage reader provides).
CREATE VIRTUAL TABLE "rtree_{{table}}_geom" USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO "rtree_{{table}}_geom" SELECT "fid", ST_MinX("geom"), ST_MaxX("geom"), ST_MinY("geom"), ST_MaxY("geom") FROM "{{table}}" WHERE "geom" NOT NULL AND NOT ST_IsEmpty("geom");
INSERT INTO gpkg_extensions VALUES ('{{table}}', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');

CREATE TRIGGER "rtree_{{table}}_geom_insert" AFTER INSERT ON "{{table}}"
  WHEN (new."geom" NOT NULL AND NOT ST_IsEmpty(NEW."geom"))
BEGIN
  INSERT OR REPLACE INTO "rtree_{{table}}_geom" VALUES (NEW."fid", ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), ST_MaxY(NEW."geom"));
END;
CREATE TRIGGER "rtree_{{table}}_geom_update1" AFTER UPDATE OF "geom" ON "{{table}}"
  WHEN OLD."fid" = NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom"))
BEGIN
  INSERT OR REPLACE INTO "rtree_{{table}}_geom" VALUES (NEW."fid", ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), ST_MaxY(NEW."geom"));
END;
CREATE TRIGGER "rtree_{{table}}_geom_update2" AFTER UPDATE OF "geom" ON "{{table}}"
  WHEN OLD."fid" = NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom"))
BEGIN
  DELETE FROM "rtree_{{table}}_geom" WHERE id = OLD."fid";
END;
CREATE TRIGGER "rtree_{{table}}_geom_update3" AFTER UPDATE ON "{{table}}"
  WHEN OLD."fid" != NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom"))
BEGIN
  DELETE FROM "rtree_{{table}}_geom" WHERE id = OLD."fid";
  INSERT OR REPLACE INTO "rtree_{{table}}_geom" VALUES (NEW."fid", ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), ST_MaxY(NEW."geom"));
END;
CREATE TRIGGER "rtree_{{table}}_geom_update4" AFTER UPDATE ON "{{table}}"
  WHEN OLD."fid" != NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom"))
BEGIN
  DELETE FROM "rtree_{{table}}_geom" WHERE id IN (OLD."fid", NEW."fid");
END;
CREATE TRIGGER "rtree_{{table}}_geom_delete" AFTER DELETE ON "{{table}}"
  WHEN old."geom" NOT NULL
BEGIN
  DELETE FROM "rtree_{{table}}_geom" WHERE id = OLD."fid";
END;

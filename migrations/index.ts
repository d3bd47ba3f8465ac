import type { Knex } from "knex";
import * as layers from "./20261128_001_layers.ts";
import * as geographyIndexes from "./20261128_002_geography_indexes.ts";
import * as changeNotifications from "./20261128_003_change_notifications.ts";
import * as derivedLayers from "./20261129_004_derived_layers.ts";
import * as bulkImportNotify from "./20261129_005_bulk_import_notify.ts";
import * as tileCache from "./20261129_006_tile_cache.ts";
import * as accounts from "./20261129_007_accounts.ts";
import * as tokensAndAudit from "./20261129_008_tokens_and_audit.ts";
import * as bulkInsertAudit from "./20261129_009_bulk_insert_audit.ts";
import * as villagesReachBox from "./20261129_010_villages_reach_box.ts";
import * as usableResources from "./20261204_011_usable_resources.ts";
import * as coverageByUsableResources from "./20261204_012_coverage_by_usable_resources.ts";
import * as townshipsFromWhatPeopleHave from "./20261204_013_townships_from_what_people_have.ts";
import * as widestZoneIndex from "./20261204_014_widest_zone_index.ts";
import * as roads from "./20261204_015_roads.ts";
import * as roadNetwork from "./20261204_016_road_network.ts";
import * as baseMapLayers from "./20261204_017_base_map_layers.ts";
import * as securityEvents from "./20261204_018_security_events.ts";
import * as incidents from "./20261204_026_incidents.ts";
import * as auditByMonth from "./20261204_028_audit_by_month.ts";
import * as authChangeNotifications from "./20261204_027_auth_change_notifications.ts";
import * as zoneAndNearestFunctions from "./20261204_019_zone_and_nearest_functions.ts";
import * as roadNetworkChanges from "./20261204_020_road_network_changes.ts";
import * as leastPrivilege from "./20261205_029_least_privilege.ts";
import * as thinnedPoints from "./20261205_030_thinned_points.ts";
import * as incidentActivityNotifications from "./20261205_031_incident_activity_notifications.ts";
import * as generalisedZones from "./20261205_032_generalised_zones.ts";
import * as sessionChangeNotifications from "./20261205_033_session_change_notifications.ts";

/** Every migration in order. Listed statically so the same code runs under tsx, vitest and a bundle. */
export const MIGRATIONS: ReadonlyArray<[name: string, migration: Knex.Migration]> = [
  ["20261128_001_layers.ts", layers],
  ["20261128_002_geography_indexes.ts", geographyIndexes],
  ["20261128_003_change_notifications.ts", changeNotifications],
  ["20261129_004_derived_layers.ts", derivedLayers],
  ["20261129_005_bulk_import_notify.ts", bulkImportNotify],
  ["20261129_006_tile_cache.ts", tileCache],
  ["20261129_007_accounts.ts", accounts],
  ["20261129_008_tokens_and_audit.ts", tokensAndAudit],
  ["20261129_009_bulk_insert_audit.ts", bulkInsertAudit],
  ["20261129_010_villages_reach_box.ts", villagesReachBox],
  ["20261204_011_usable_resources.ts", usableResources],
  ["20261204_012_coverage_by_usable_resources.ts", coverageByUsableResources],
  ["20261204_013_townships_from_what_people_have.ts", townshipsFromWhatPeopleHave],
  ["20261204_014_widest_zone_index.ts", widestZoneIndex],
  ["20261204_015_roads.ts", roads],
  ["20261204_016_road_network.ts", roadNetwork],
  ["20261204_017_base_map_layers.ts", baseMapLayers],
  ["20261204_018_security_events.ts", securityEvents],
  ["20261204_019_zone_and_nearest_functions.ts", zoneAndNearestFunctions],
  ["20261204_020_road_network_changes.ts", roadNetworkChanges],
  ["20261204_026_incidents.ts", incidents],
  ["20261204_027_auth_change_notifications.ts", authChangeNotifications],
  ["20261204_028_audit_by_month.ts", auditByMonth],
  ["20261205_029_least_privilege.ts", leastPrivilege],
  ["20261205_030_thinned_points.ts", thinnedPoints],
  ["20261205_031_incident_activity_notifications.ts", incidentActivityNotifications],
  ["20261205_032_generalised_zones.ts", generalisedZones],
  ["20261205_033_session_change_notifications.ts", sessionChangeNotifications],
];

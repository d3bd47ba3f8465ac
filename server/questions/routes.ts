import { Router } from "express";
import type { Reads } from "../replicas/read_replicas.ts";
import type { Access } from "../auth/access.ts";
import { findLayer } from "../layers/index.ts";
import { parse } from "../http/parse.ts";
import { idParam } from "../http/ids.ts";
import { NearestQuery, nearest } from "./nearest.ts";
import { nearestByRoad } from "./nearest_by_road.ts";
import { SupplyPlanBody, supplyPlan } from "./supply_plan.ts";
import { CoverageQuery, coverageGaps } from "./coverage_gaps.ts";
import { SiteSuggestionsBody, siteSuggestions } from "./site_suggestions.ts";
import { ShelterCapacityQuery, shelterCapacity } from "./shelter_capacity.ts";
import { EvacuationPlanBody, evacuationPlan } from "./evacuation_plan.ts";
import { ExposureQuery, exposure } from "./exposure.ts";
import { atIncidentPoint, type Incidents } from "./incident_subject.ts";
import { PlaceQuery, place } from "./place.ts";

import { SearchQuery, search } from "./search.ts";
import { featureCollection } from "../sql/feature_json.ts";
import { answerGeoJson, answerJson } from "../http/answer.ts";
import { jsonBody } from "../http/json_body.ts";
import { ServiceAreaQuery, serviceArea } from "../roads/service_area.ts";

/**
 * The questions of DESIGN.md, one module each; routes parse first and trust after. They only read: from a
 * replica when one may serve. `incidents` answers for `incident_id=` (server/incidents/subject.ts, given by app.ts).
 */
export function questionRoutes(reads: Reads, access: Access, incidents: Incidents): Router {
  const router = Router();
  const read = access.requires("read");

  router.get("/nearest", read, async (req, res) => {
    const { asked: q, incident } = await atIncidentPoint(incidents, parse(NearestQuery, req.query));
    const omit = access.hiddenFields(res, findLayer(q.layer)!);
    // asked for an incident: from its point, which the answer says
    const from = incident ? { incident } : {};
    if (q.by === "straight" || q.layer === "hazards") {
      const features = await nearest(reads(req), q, omit);
      answerGeoJson(res, featureCollection({ numberReturned: features.length, by: "straight", ...from }, features));
      return;
    }
    const { features, members } = await nearestByRoad(reads(req), q, omit);
    answerGeoJson(res, featureCollection({ numberReturned: features.length, ...members, ...from }, features));
  });

  router.get("/service-area", read, async (req, res) => {
    const { features, members } = await serviceArea(reads(req), parse(ServiceAreaQuery, req.query));
    answerGeoJson(res, featureCollection(members, features));
  });

  router.post("/supply-plan", read, jsonBody, async (req, res) => {
    answerJson(res, await supplyPlan(reads(req), parse(SupplyPlanBody, req.body), incidents));
  });

  router.get("/coverage-gaps", read, async (req, res) => {
    // lang= names a sheet's language (server/formats/plan_routes.ts answers with format=); JSON has none
    const { lang: _, ...query } = req.query;
    const { features, summary, members } = await coverageGaps(reads(req), parse(CoverageQuery, query));
    answerGeoJson(res, featureCollection({ ...members, summary }, features));
  });

  router.post("/site-suggestions", read, jsonBody, async (req, res) => {
    answerJson(res, await siteSuggestions(reads(req), parse(SiteSuggestionsBody, req.body)));
  });

  router.get("/shelter-capacity", read, async (req, res) => {
    answerJson(res, await shelterCapacity(reads(req), parse(ShelterCapacityQuery, req.query)));
  });

  router.post("/evacuation-plan", read, jsonBody, async (req, res) => {
    answerJson(res, await evacuationPlan(reads(req), parse(EvacuationPlanBody, req.body), incidents));
  });

  router.get("/place", read, async (req, res) => {
    answerJson(res, await place(reads(req), parse(PlaceQuery, req.query)));
  });

  router.get("/search", read, async (req, res) => {
    answerJson(res, { results: await search(reads(req), parse(SearchQuery, req.query)) });
  });

  router.get("/hazards/:id/exposure", read, async (req, res) => {
    answerJson(res, await exposure(reads(req), { hazard_id: idParam(req, "hazard") }, incidents));
  });

  router.get("/exposure", read, async (req, res) => {
    answerJson(res, await exposure(reads(req), parse(ExposureQuery, req.query), incidents));
  });

  return router;
}

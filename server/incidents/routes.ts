import { Router } from "express";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { idParam } from "../http/ids.ts";
import { etag, expectedVersion } from "../http/versions.ts";
import { inItemUnits } from "../supplies/quantity.ts";
import { changeIncident, createIncident, getIncident, IncidentChange, IncidentListQuery, listIncidents, NewIncident } from "./incidents.ts";
import { getNorms, NeedsNorms, putNorms } from "./norms.ts";
import { incidentNeeds, NeedsQuery } from "./needs.ts";
import { changeDispatch, DispatchChange, listDispatches, NewDispatch, NewDispatches, sendDispatches } from "./dispatches.ts";
import { deployTeam, listDeployments, NewDeployment, releaseTeam } from "./deployments.ts";
import { addNote, NewNote, timeline } from "./timeline.ts";
import { situationReport } from "./report.ts";
import { situationReportPdf } from "./report_pdf.ts";
import { datedFileName } from "../formats/formats.ts";

/**
 * Incidents: everyone who reads sees them; commanders open, change and close them, send stock, deploy
 * teams and write notes; planners and admins set the needs norms.
 */
export function incidentRoutes(db: Db, access: Access): Router {
  const router = Router();
  const read = access.requires("read");
  const command = access.requires("command");
  const incident = (req: Parameters<typeof idParam>[0]) => idParam(req, "incident");

  router.get("/needs-norms", read, async (_req, res) => {
    const norms = await getNorms(db);
    res.set("ETag", etag(norms.version)).json(norms);
  });
  router.put("/needs-norms", access.requires("set_norms"), async (req, res) => {
    const version = expectedVersion(req);
    const norms = await putNorms(db, version, parse(NeedsNorms, req.body));
    res.set("ETag", etag(norms.version)).json(norms);
  });

  router.get("/incidents", read, async (req, res) => {
    const q = parse(IncidentListQuery, req.query);
    res.type("application/geo+json").json({ type: "FeatureCollection", features: await listIncidents(db, q.open === "true") });
  });
  router.post("/incidents", command, async (req, res) => {
    const created = await createIncident(db, parse(NewIncident, req.body));
    res.status(201).location(`/api/v1/incidents/${created.id}`).set("ETag", etag(created.properties.version)).type("application/geo+json").json(created);
  });
  router.get("/incidents/:id", read, async (req, res) => {
    const found = await getIncident(db, incident(req));
    res.set("ETag", etag(found.properties.version)).type("application/geo+json").json(found);
  });
  router.patch("/incidents/:id", command, async (req, res) => {
    const id = incident(req);
    const version = expectedVersion(req);
    const changed = await changeIncident(db, id, version, parse(IncidentChange, req.body));
    res.set("ETag", etag(changed.properties.version)).type("application/geo+json").json(changed);
  });

  router.get("/incidents/:id/needs", read, async (req, res) => {
    res.json(await incidentNeeds(db, incident(req), parse(NeedsQuery, req.query)));
  });

  router.get("/incidents/:id/dispatches", read, async (req, res) => {
    res.json({ dispatches: await listDispatches(db, incident(req)) });
  });
  router.post("/incidents/:id/dispatches", command, async (req, res) => {
    const id = incident(req);
    const body = parse(NewDispatch, req.body);
    const items = await inItemUnits(db, body.items, ["quantity"], (i, field) => ["items", i, field]);
    const [sent] = await sendDispatches(db, id, [{ depot_id: body.depot_id, items }], () => []);
    res.status(201).location(`/api/v1/incidents/${id}/dispatches/${sent!.id}`).set("ETag", etag(sent!.version)).json(sent);
  });
  router.post("/incidents/:id/dispatches/batch", command, async (req, res) => {
    const id = incident(req);
    const orders = [];
    for (const [n, order] of parse(NewDispatches, req.body).dispatches.entries()) {
      orders.push({ depot_id: order.depot_id, items: await inItemUnits(db, order.items, ["quantity"], (i, field) => ["dispatches", n, "items", i, field]) });
    }
    res.status(201).json({ dispatches: await sendDispatches(db, id, orders, (n) => ["dispatches", n]) });
  });
  router.patch("/incidents/:id/dispatches/:dispatch", command, async (req, res) => {
    const changed = await changeDispatch(db, incident(req), idParam(req, "dispatch", "dispatch"), expectedVersion(req), parse(DispatchChange, req.body));
    res.set("ETag", etag(changed.version)).json(changed);
  });

  router.get("/incidents/:id/deployments", read, async (req, res) => {
    res.json({ deployments: await listDeployments(db, incident(req)) });
  });
  router.post("/incidents/:id/deployments", command, async (req, res) => {
    const id = incident(req);
    const deployed = await deployTeam(db, id, parse(NewDeployment, req.body).team_id);
    res.status(201).location(`/api/v1/incidents/${id}/deployments/${deployed.id}`).json(deployed);
  });
  router.post("/incidents/:id/deployments/:deployment/release", command, async (req, res) => {
    res.json(await releaseTeam(db, incident(req), idParam(req, "deployment", "deployment")));
  });

  router.get("/incidents/:id/timeline", read, async (req, res) => {
    res.json({ timeline: await timeline(db, incident(req)) });
  });
  router.get("/incidents/:id/report", read, async (req, res) => {
    res.json(await situationReport(db, incident(req)));
  });
  router.get("/incidents/:id/report.pdf", read, async (req, res) => {
    const id = incident(req);
    res
      .type("application/pdf")
      .set("Content-Disposition", `attachment; filename="${datedFileName(`incident-${id}-report`, "pdf")}"`)
      .send(Buffer.from(await situationReportPdf(db, id)));
  });
  router.post("/incidents/:id/notes", command, async (req, res) => {
    res.status(201).json(await addNote(db, incident(req), parse(NewNote, req.body).text));
  });

  return router;
}

import express, { Router, type Response } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { township } from "../questions/params.ts";
import { MAX_IMAGE_BASE64, MapPrintBody, mapPrint } from "./map_print.ts";
import { evacuationBook } from "./evacuation_book.ts";

/** A PDF to download, named for what it holds (RFC 6266: an ASCII fallback and the UTF-8 name). */
function sendPdf(res: Response, bytes: Uint8Array, asciiName: string, name: string) {
  res
    .type("application/pdf")
    .set("Content-Disposition", `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(Buffer.from(bytes));
}

const today = () => new Date().toISOString().slice(0, 10).replaceAll("-", "");

/**
 * Paper: the current map printed (the browser sends the map drawn at print resolution; the page around
 * it — title, legend, scale bar, north arrow — is composed here with text as text), and a township's
 * evacuation book. Mounted before the API's JSON parser: a map image is larger than its 10 MB limit.
 */
export function paperRoutes(db: Db, access: Access): Router {
  const router = Router();

  router.post(
    "/print/map.pdf",
    access.requires("read"),
    (_req, res, next) => {
      access.signedIn(res);
      next();
    },
    express.json({ limit: MAX_IMAGE_BASE64 + 64 * 1024 }),
    async (req, res) => {
      const body = parse(MapPrintBody, req.body);
      sendPdf(res, await mapPrint(body), `map-${today()}.pdf`, `${body.title}-${today()}.pdf`);
    },
  );

  router.get("/townships/:admin_code/evacuation-book.pdf", access.requires("evacuation_books"), async (req, res) => {
    const { admin_code } = parse(z.strictObject({ admin_code: township }), { admin_code: req.params.admin_code });
    const bytes = await evacuationBook(db, admin_code);
    sendPdf(res, bytes, `evacuation-book-${admin_code}.pdf`, `避险转移手册-${admin_code}.pdf`);
  });

  return router;
}

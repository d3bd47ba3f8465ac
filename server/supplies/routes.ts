import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { idParam } from "../http/ids.ts";
import { etag, expectedVersion } from "../http/versions.ts";
import { getStock, listStock, putStock } from "./stock.ts";
import { inItemUnits, quantity } from "./quantity.ts";

const itemCode = z.string().trim().min(1).max(100);
export const StockRows = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        item: itemCode,
        quantity: quantity(0, 2_000_000_000),
        reorder_level: quantity(0, 2_000_000_000).default(0),
        expires_on: z.iso.date().nullable().default(null),
      }),
    )
    .max(1000)
    .refine((rows) => new Set(rows.map((r) => r.item)).size === rows.length, "each item may appear once"),
});
const StockQuery = z.strictObject({
  item: itemCode.optional(),
  low: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  expires_before: z.iso.date().optional(),
});

export function supplyRoutes(db: Db, access: Access): Router {
  const router = Router();
  const read = access.requires("read");

  router.get("/items", read, async (_req, res) => {
    res.json({ items: await db("items").orderBy("code").select("*") });
  });

  router.get("/stock", read, async (req, res) => {
    res.json({ rows: await listStock(db, parse(StockQuery, req.query)) });
  });

  router.get("/depots/:id/stock", read, async (req, res) => {
    const stock = await getStock(db, idParam(req, "depot"));
    res.set("ETag", etag(stock.version)).json(stock);
  });

  router.put("/depots/:id/stock", access.requires("edit"), async (req, res) => {
    const id = idParam(req, "depot");
    const within = access.editScope(res, "depot_stock");
    const version = expectedVersion(req);
    const { rows } = parse(StockRows, req.body);
    const counted = await inItemUnits(db, rows, ["quantity", "reorder_level"], (i, field) => ["rows", i, field]);
    const stock = await putStock(db, id, version, counted, within);
    res.set("ETag", etag(stock.version)).json(stock);
  });

  return router;
}

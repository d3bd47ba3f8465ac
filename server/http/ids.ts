import type { Request } from "express";
import { notFound } from "./problem.ts";

/** An id of a URL (`:id`, or the parameter named): a positive integer. Anything else names nothing here, so 404 rather than 400. */
export function idParam(req: Request, noun: string, param = "id"): number {
  const raw = String(req.params[param]);
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound(`${noun} ${raw} does not exist`);
  return Number(raw);
}

import type { Request } from "express";
import { notFound } from "./problem.ts";

/** The `:id` of a URL: a positive integer. Anything else names nothing here, so 404 rather than 400. */
export function idParam(req: Request, noun: string): number {
  const raw = String(req.params.id);
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound(`${noun} ${raw} does not exist`);
  return Number(raw);
}

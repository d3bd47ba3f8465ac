import { z } from "zod";
import type { Layer } from "../layers/layer.ts";
import { schemasOf, type ListQuery } from "../features/schemas.ts";
import { parse } from "../http/parse.ts";
import { badRequest } from "../http/problem.ts";
import type { Format } from "./links.ts";

/** Page size limits (Part 1 /req/core/fc-limit-definition): a larger limit is clamped, not refused. */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;

const FormatParam = z.enum(["json", "html"], { error: "must be json or html" });

/** `f` wins; otherwise HTML only when the client prefers it (a browser), JSON by default. */
function chooseFormat(f: Format | undefined, preferred: string | false): Format {
  return f ?? (preferred === "text/html" ? "html" : "json");
}

/** The query of a resource whose only parameter is `f`; any other parameter is a 400 (/req/core/query-param-unknown). */
export function parseFormat(query: unknown, preferred: string | false): Format {
  const { f } = parse(
    z.strictObject(
      { f: FormatParam.optional() },
      { error: (i) => (i.code === "unrecognized_keys" ? "unknown parameter; only f=json|html is accepted here" : undefined) },
    ),
    query,
  );
  return chooseFormat(f, preferred);
}

export interface ItemsQuery extends Omit<ListQuery, "limit"> {
  limit: number;
  /** Keyset paging: only features with a larger id (what `next` links carry, so deep pages stay as cheap as the first). */
  after?: number;
  /** `hits`: no features, only the exact numberMatched, however long counting takes (what GDAL asks for a feature count). */
  resultType: "results" | "hits";
  format: Format;
  /** The parameters as given, for links that must preserve them. */
  given: Record<string, string>;
}

const Paging = z.object({
  f: FormatParam.optional(),
  limit: z.coerce
    .number({ error: "must be an integer" })
    .int("must be an integer")
    .min(1, "must be at least 1")
    .default(DEFAULT_LIMIT)
    .transform((n) => Math.min(n, MAX_LIMIT)),
  after: z.coerce.number({ error: "must be a feature id" }).int("must be a feature id").min(0, "must be a feature id").optional(),
  resultType: z.enum(["results", "hits"], { error: "must be results or hits" }).default("results"),
});

/**
 * `/collections/:id/items` parameters: f, limit, after and resultType here; bbox, offset, q and the attribute
 * filters (`?status=open&name=…`) as the layer's list query parses them; anything else is a 400
 * naming the parameter.
 */
export function parseItemsQuery(layer: Layer, query: Record<string, unknown>, preferred: string | false): ItemsQuery {
  const { f, limit, after, resultType, ...rest } = query;
  // no temporal geometry here: refused rather than silently ignored, so a client never believes it filtered by time
  if ("datetime" in rest) throw badRequest([{ path: ["datetime"], message: "these collections have no temporal extent; datetime is not supported" }]);
  if ("bbox-crs" in rest) throw badRequest([{ path: ["bbox-crs"], message: "only CRS84 is supported; send bbox in longitude/latitude without bbox-crs" }]);
  const paging = parse(Paging, { f, limit, after, resultType });
  const { limit: _ignored, ...list } = parse(schemasOf(layer).list, rest);
  const given = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return { ...list, limit: paging.limit, after: paging.after, resultType: paging.resultType, format: chooseFormat(paging.f, preferred), given };
}

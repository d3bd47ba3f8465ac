import type { Response } from "express";

/**
 * A question's answer, written as it is. Not res.send: an answer is computed afresh for every asking,
 * so an ETag (a hash of the whole answer) and a content-type lookup would only cost time on the
 * hottest path of an incident.
 */
function write(res: Response, type: string, text: string): void {
  res.writeHead(200, { "Content-Type": `${type}; charset=utf-8`, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** A value as JSON. */
export const answerJson = (res: Response, value: unknown): void => write(res, "application/json", JSON.stringify(value));

/** GeoJSON text PostgreSQL wrote (featureCollection), passed on unparsed. */
export const answerGeoJson = (res: Response, text: string): void => write(res, "application/geo+json", text);

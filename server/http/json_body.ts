import express from "express";

/** The JSON body parser every route with a JSON body shares (GeoJSON and merge patches are JSON too). */
export const jsonBody = express.json({ limit: "10mb", type: ["application/json", "application/geo+json", "application/merge-patch+json"] });

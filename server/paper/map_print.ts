import { z } from "zod";
import type { PDFImage } from "pdf-lib";
import { badRequest } from "../http/problem.ts";
import { GREY, INK, issuedOn, MM, PaperDoc, PAPER } from "./paper_doc.ts";
import { LegendEntry, legendBox, northArrow, scaleBar } from "./map_furniture.ts";

/** The largest image accepted, in bytes of base64: an A3 map at 200 dpi as PNG is ~10–20 MB. */
export const MAX_IMAGE_BASE64 = 40 * 1024 * 1024;

export const MapPrintBody = z.strictObject({
  title: z.string().trim().min(1).max(60).describe("the title printed at the top (the incident or the township)"),
  unit: z.string().trim().max(60).default("").describe("the issuing unit (签发单位)"),
  paper: z.enum(Object.keys(PAPER) as ["A4", "A3"]).default("A4"),
  orientation: z.enum(["portrait", "landscape"]).default("landscape"),
  image: z
    .string()
    .max(MAX_IMAGE_BASE64)
    .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/, "must be a data: URL of a PNG or JPEG image")
    .describe("the map as drawn for the paper, at print resolution"),
  metres_per_pixel: z.number().positive().max(1e6).describe("ground metres per pixel of the image at the map's centre"),
  bearing_deg: z.number().min(-360).max(360).default(0).describe("the map's bearing: the north arrow turns by it"),
  legend: z.array(LegendEntry).max(80).default([]),
  date: z.iso.date().optional().describe("the date printed (YYYY-MM-DD); today in China when absent"),
});
export type MapPrintBody = z.output<typeof MapPrintBody>;

/** The bands of the page around the map, in millimetres: the title above, the footer line below. */
export const MAP_PAGE_BANDS_MM = { title: 16, footer: 9 };

/** The image's bytes and kind from its data: URL. */
async function embedImage(p: PaperDoc, dataUrl: string): Promise<PDFImage> {
  const [head, data] = dataUrl.split(",", 2) as [string, string];
  const bytes = Buffer.from(data, "base64");
  try {
    return head.includes("png") ? await p.doc.embedPng(bytes) : await p.doc.embedJpg(bytes);
  } catch {
    throw badRequest([{ path: ["image"], message: "is not a readable PNG or JPEG image" }]);
  }
}

/**
 * The current map on paper: the title and the issuing unit above, the map image in a frame, a legend
 * box, scale bar and north arrow drawn over its corners as vectors, the date below; every word as text.
 */
export async function mapPrint(q: MapPrintBody): Promise<Uint8Array> {
  const p = await PaperDoc.create(q.title, q.paper, q.orientation);
  const image = await embedImage(p, q.image);
  const top = p.height - p.left;
  p.text(q.title, p.left, top - 7 * MM, 18);
  if (q.unit) p.text(q.unit, p.right - p.textWidth(q.unit, 11), top - 6 * MM, 11, GREY);

  // the map frame: between the bands, the image fitted inside (its own aspect kept)
  const frame = { x: p.left, y: p.left + MAP_PAGE_BANDS_MM.footer * MM, w: p.right - p.left, h: 0 };
  frame.h = top - MAP_PAGE_BANDS_MM.title * MM - frame.y;
  const scale = Math.min(frame.w / image.width, frame.h / image.height);
  const [w, h] = [image.width * scale, image.height * scale];
  const [x0, y0] = [frame.x + (frame.w - w) / 2, frame.y + (frame.h - h) / 2];
  p.page.drawImage(image, { x: x0, y: y0, width: w, height: h });
  p.page.drawRectangle({ x: x0, y: y0, width: w, height: h, borderColor: INK, borderWidth: 0.8 });

  const metresPerPt = q.metres_per_pixel / scale;
  const frameBox = { x: x0, y: y0, w, h };
  legendBox(p, q.legend, frameBox);
  scaleBar(p, metresPerPt, frameBox);
  northArrow(p, frameBox, q.bearing_deg);

  // footer: the date, the scale as a ratio, what made it
  const date = q.date ? issuedOn(new Date(`${q.date}T12:00:00+08:00`)) : issuedOn();
  const ratio = Math.round((metresPerPt * 72) / 0.0254);
  p.text(`制图日期：${date}    比例尺 约 1:${ratio.toLocaleString("en-US")}`, p.left, p.left + 2 * MM, 9, GREY);
  const maker = "应急资源一张图";
  p.text(maker, p.right - p.textWidth(maker, 9), p.left + 2 * MM, 9, GREY);
  return p.doc.save();
}

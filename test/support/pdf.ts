import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PDF read back by poppler: its text (layout kept), its fonts, its pages, its images (pdfimages -list rows). `picture`: its first pages
 * rendered at 60 dpi to test/e2e/screenshots/<picture>-<page>.png, to look at and show in the README.
 */
export function readPdf(bytes: Buffer, picture?: string, pictures = 1): { text: string; fonts: string; pages: number; images: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "pdf-"));
  const file = join(dir, "x.pdf");
  writeFileSync(file, bytes);
  if (picture) execFileSync("pdftoppm", ["-r", "60", "-png", "-l", String(pictures), file, `test/e2e/screenshots/${picture}`]);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
  // pdfimages -list: page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
  const images = execFileSync("pdfimages", ["-list", file], { encoding: "utf8" }).trim().split("\n").slice(2);
  return { text, fonts, pages, images };
}

import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

/**
 * The CJK font PDFs are written in: Noto Sans CJK SC (Debian fonts-noto-cjk), the Simplified Chinese face
 * of a TrueType Collection of CFF fonts, embedded as a subset so the text is text (sharp, searchable,
 * read back by pdftotext) and a page weighs tens of kilobytes, not the font's 16 MB.
 *
 * fontkit's CFF subsetter (which pdf-lib uses) has two faults for CID-keyed fonts such as Noto CJK, both
 * corrected here on the subset object, never in the library:
 * - it writes the font's table length as the header's offSize (27 here; CFF allows 1–4), so poppler
 *   refuses the whole font ("Embedded font file may be invalid");
 * - it gives a glyph the last font dict added rather than its own (FDSelect) and keeps the local
 *   subroutines it calls in that wrong dict, so any glyph whose dict was first used earlier draws blank.
 */
export const CJK_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const FACE = "NotoSansCJKsc-Regular";

interface CffSubset {
  cff: { length: number; fdForGlyph(gid: number): number | null; topDict: { FDArray: Record<string, unknown>[] } };
  glyphs: number[];
  font: { getGlyph(gid: number): { path: unknown; _usedSubrs: Record<string, boolean> } };
  subsetSubrs(subrs: unknown[], used: Record<string, boolean>): unknown[];
  subsetFontdict(topDict: Record<string, unknown>): void;
}

/** FDSelect and local subroutines by each glyph's own font dict (fontkit's subsetFontdict, corrected). */
function subsetFontdict(this: CffSubset, topDict: Record<string, unknown>) {
  const fdArray: Record<string, unknown>[] = [];
  const fds: number[] = [];
  const newIndex = new Map<number, number>();
  const usedSubrs: Record<string, boolean>[] = [];
  for (const gid of this.glyphs) {
    const fd = this.cff.fdForGlyph(gid) ?? 0;
    let i = newIndex.get(fd);
    if (i === undefined) {
      i = fdArray.length;
      newIndex.set(fd, i);
      fdArray.push({ ...this.cff.topDict.FDArray[fd] });
      usedSubrs.push({});
    }
    fds.push(i);
    const glyph = this.font.getGlyph(gid);
    void glyph.path; // parsing the outline records the subroutines it calls
    for (const subr in glyph._usedSubrs) usedSubrs[i]![subr] = true;
  }
  fdArray.forEach((dict, i) => {
    delete dict.FontName;
    const priv = dict.Private as { Subrs?: unknown[] } | undefined;
    if (priv?.Subrs) dict.Private = { ...priv, Subrs: this.subsetSubrs(priv.Subrs, usedSubrs[i]!) };
  });
  topDict.FDArray = fdArray;
  topDict.FDSelect = { version: 0, fds };
}

let fontFile: Buffer | undefined;
let parsed: ReturnType<typeof fontkit.create> | undefined;

/**
 * The fontkit face with a subsetter that writes valid CFF (above), parsed once per process (a second a
 * time otherwise): each document takes its own subset of it, and the face itself is only read.
 */
function createFace(bytes: Uint8Array) {
  if (parsed) return parsed;
  const face = fontkit.create(bytes, FACE);
  parsed = face;
  const createSubset = face.createSubset.bind(face);
  face.createSubset = () => {
    const subset = createSubset() as unknown as CffSubset;
    // the header's offSize: 4 bytes reach any offset (CFF spec §6)
    subset.cff = Object.create(subset.cff, { length: { value: 4 } });
    subset.subsetFontdict = subsetFontdict;
    return subset as unknown as ReturnType<typeof createSubset>;
  };
  return face;
}

/** A six-letter tag (PDF 32000 §9.6.4): a subset's font is named ABCDEF+Name, which readers know as a subset. */
function subsetTag(): string {
  return [...randomBytes(6)].map((b) => String.fromCharCode(65 + (b % 26))).join("");
}

/** Embed the CJK font into a document, as a subset of the glyphs its text uses. */
export async function embedCjkFont(doc: PDFDocument): Promise<PDFFont> {
  fontFile ??= readFileSync(CJK_FONT_PATH);
  doc.registerFontkit({ create: createFace });
  return doc.embedFont(fontFile, { subset: true, customName: `${subsetTag()}+${FACE}` });
}

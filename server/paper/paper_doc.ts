import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { embedCjkFont } from "./cjk_font.ts";

/** Paper sizes in PDF points (1/72 inch), portrait; ISO 216. */
export const PAPER = { A4: [595.28, 841.89], A3: [841.89, 1190.55] } as const;
export type Paper = keyof typeof PAPER;
export type Orientation = "portrait" | "landscape";

export const MM = 72 / 25.4;
export const INK = rgb(0.11, 0.15, 0.2);
export const GREY = rgb(0.45, 0.47, 0.5);
const MARGIN = 15 * MM;

/** A cell of a table: text, or a number written with thousands separators. */
export type Cell = string | number | null;

/** The date a paper is issued, as Chinese paper writes it (2026年12月4日), in China's time zone. */
export function issuedOn(at = new Date()): string {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at).split("-");
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

const cellText = (c: Cell) => (c === null ? "" : typeof c === "number" ? c.toLocaleString("en-US") : c);

/**
 * A printed document: pages of one size, text in the embedded CJK font, a cursor going down the page,
 * and a table that continues on the next page with its header repeated. Coordinates are PDF points,
 * origin at the page's bottom left.
 */
export class PaperDoc {
  page!: PDFPage;
  /** The top of the next line, points from the bottom. */
  y = 0;
  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly size: [number, number],
  ) {}

  static async create(title: string, paper: Paper = "A4", orientation: Orientation = "portrait"): Promise<PaperDoc> {
    const doc = await PDFDocument.create();
    doc.setTitle(title);
    doc.setCreator("hazmap 应急资源一张图");
    doc.setProducer("hazmap");
    const [w, h] = PAPER[paper];
    const p = new PaperDoc(doc, await embedCjkFont(doc), orientation === "portrait" ? [w, h] : [h, w]);
    p.newPage();
    return p;
  }

  get width() {
    return this.size[0];
  }
  get height() {
    return this.size[1];
  }
  get left() {
    return MARGIN;
  }
  get right() {
    return this.size[0] - MARGIN;
  }

  newPage(): PDFPage {
    this.page = this.doc.addPage(this.size);
    this.y = this.size[1] - MARGIN;
    return this.page;
  }

  textWidth(text: string, size: number): number {
    return this.font.widthOfTextAtSize(text, size);
  }

  /** One line of text at (x, baseline y). */
  text(text: string, x: number, y: number, size: number, colour = INK) {
    if (text) this.page.drawText(text, { x, y, size, font: this.font, color: colour });
  }

  /** Text broken into lines no wider than `width` (Chinese breaks between any two characters, other words at spaces). */
  lines(text: string, size: number, width: number): string[] {
    const out: string[] = [];
    for (const para of text.split("\n")) {
      let line = "";
      for (const token of para.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+/g) ?? [""]) {
        if (line && this.textWidth(line + token, size) > width) {
          out.push(line.trimEnd());
          line = token.trimStart();
        } else line += token;
      }
      out.push(line.trimEnd());
    }
    return out;
  }

  /** Space for `height` points below the cursor, or a new page. */
  room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  /** A paragraph at the cursor, wrapped to the margins; the cursor moves below it. */
  paragraph(text: string, size = 10.5, colour = INK, indent = 0) {
    for (const line of this.lines(text, size, this.right - this.left - indent)) {
      this.room(size * 1.5);
      this.text(line, this.left + indent, this.y - size, size, colour);
      this.y -= size * 1.5;
    }
  }

  /** A heading: bold-looking by size, a rule beneath. */
  heading(text: string, size = 14) {
    this.room(size * 3);
    this.y -= size * 0.6;
    this.text(text, this.left, this.y - size, size);
    this.y -= size * 1.4;
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.6, color: GREY });
    this.y -= size * 0.5;
  }

  /**
   * A table at the cursor: column widths in proportion to `weights`, cells wrapped, numbers right-aligned,
   * ruled; continued on the next page with its header repeated.
   */
  table(headers: string[], rows: Cell[][], { weights = headers.map(() => 1), size = 9 }: { weights?: number[]; size?: number } = {}) {
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => ((this.right - this.left) * w) / total);
    const pad = 3;
    const lineH = size * 1.35;
    const drawRow = (cells: Cell[], header: boolean) => {
      const wrapped = cells.map((c, i) => this.lines(cellText(c), size, widths[i]! - 2 * pad));
      const h = Math.max(...wrapped.map((l) => l.length)) * lineH + 2 * pad;
      if (this.y - h < MARGIN) {
        this.newPage();
        if (!header) drawRow(headers, true);
      }
      if (header) this.page.drawRectangle({ x: this.left, y: this.y - h, width: this.right - this.left, height: h, color: rgb(0.91, 0.93, 0.95) });
      let x = this.left;
      wrapped.forEach((lines, i) => {
        const numeric = typeof cells[i] === "number";
        lines.forEach((line, k) => {
          const tx = numeric ? x + widths[i]! - pad - this.textWidth(line, size) : x + pad;
          this.text(line, tx, this.y - pad - (k + 1) * lineH + size * 0.3, size);
        });
        x += widths[i]!;
      });
      this.page.drawLine({ start: { x: this.left, y: this.y - h }, end: { x: this.right, y: this.y - h }, thickness: header ? 0.8 : 0.3, color: GREY });
      this.y -= h;
    };
    this.room(lineH * 3);
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.8, color: GREY });
    drawRow(headers, true);
    for (const r of rows) drawRow(r, false);
    this.y -= lineH;
  }

  /** Signature lines across the page: each label followed by a line to sign on. */
  signatures(labels: string[], size = 10.5) {
    this.room(size * 5);
    this.y -= size * 2.5;
    const span = (this.right - this.left) / labels.length;
    labels.forEach((label, i) => {
      const x = this.left + i * span;
      this.text(`${label}：`, x, this.y, size);
      const start = x + this.textWidth(`${label}：`, size) + 2;
      this.page.drawLine({ start: { x: start, y: this.y - 2 }, end: { x: x + span - 12, y: this.y - 2 }, thickness: 0.6, color: INK });
    });
    this.y -= size * 2;
  }

  /** Page numbers, bottom centre: 第 n 页 / 共 m 页. */
  numberPages() {
    const pages = this.doc.getPages();
    pages.forEach((p, i) => {
      const label = `第 ${i + 1} 页 / 共 ${pages.length} 页`;
      p.drawText(label, { x: (this.width - this.textWidth(label, 8)) / 2, y: MARGIN / 2, size: 8, font: this.font, color: GREY });
    });
  }

  async bytes(): Promise<Uint8Array> {
    this.numberPages();
    return this.doc.save();
  }
}

import { GREY, issuedOn, PaperDoc, type Cell } from "./paper_doc.ts";

/** A plan's table as the sheets of a plan hold it (server/formats/sheet.ts): a name, headers, rows. */
export interface OrderTable {
  name: string;
  headers: string[];
  rows: Cell[][];
}

/** The order's own words; the table's come with it, in the language it was asked in. */
const WORDS = {
  zh: {
    order: "调度单",
    unit: "签发单位",
    date: "日期",
    none: "（无）",
    signers: ["签发人", "审核人", "接收人"],
    received: "接收时间：　　　年　　月　　日　　时　　分",
  },
  en: {
    order: " — dispatch order",
    unit: "Issued by",
    date: "Date",
    none: "(none)",
    signers: ["Issued", "Approved", "Received"],
    received: "Received at: ____-__-__ __:__",
  },
} as const;

/**
 * A plan printed as an order (调度单): its title, the issuing unit and the date, the table (on A4, turned
 * landscape when it has more than six columns), and lines for the issuer, the approver and the receiver
 * to sign. One page for a plan of a few dozen rows; a longer one continues with its header repeated.
 */
export async function orderPdf(
  table: OrderTable,
  { unit = "", at = new Date(), lang = "zh" }: { unit?: string; at?: Date; lang?: keyof typeof WORDS } = {},
): Promise<Uint8Array> {
  const w = WORDS[lang];
  const title = `${table.name}${w.order}`;
  const p = await PaperDoc.create(title, "A4", table.headers.length > 6 ? "landscape" : "portrait");
  p.text(title, (p.width - p.textWidth(title, 20)) / 2, p.y - 20, 20);
  p.y -= 34;
  const issued = `${w.unit}：${unit || "＿＿＿＿＿＿＿＿＿＿"}`;
  const date = `${w.date}：${lang === "zh" ? issuedOn(at) : new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at)}`;
  p.text(issued, p.left, p.y - 10.5, 10.5);
  p.text(date, p.right - p.textWidth(date, 10.5), p.y - 10.5, 10.5);
  p.y -= 20;
  if (table.rows.length) p.table(table.headers, table.rows);
  else p.paragraph(w.none, 10.5, GREY);
  p.signatures([...w.signers]);
  p.paragraph(w.received, 10.5);
  return p.bytes();
}

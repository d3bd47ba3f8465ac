/** One record of a CSV file: its cells, and the line of the file it starts on (the first line is 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34,
  LF = 10,
  CR = 13;

/**
 * Splits CSV text arriving in chunks into records by the rules of csv-parse with `relax_column_count`
 * and empty lines kept (they arrive as [""]), with its error messages: RFC 4180 quoting, the line
 * ending found first (\r\n, \n or \r) ends every record. csv-parse looks at every byte through several
 * calls; here a line without a quote is cut with indexOf and split, which is most lines of most files.
 * A line is counted for each record and each \n inside a cell, as the rows of the report are numbered.
 * The delimiter is a comma, or a tab (Excel's "Unicode text").
 */
export class CsvRecords {
  private readonly delimiterCode: number;
  private text = ""; // what is not yet parsed
  private pos = 0;
  private nextQuote = -1; // index of the first quote at or after pos (-1: none in text)
  private line = 1;
  private ending: string | undefined;

  constructor(private readonly delimiter: "," | "\t" = ",") {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The records completed by this chunk. */
  push(chunk: string): CsvRecord[] {
    this.text = this.text.slice(this.pos) + chunk;
    this.pos = 0;
    this.nextQuote = this.text.indexOf('"');
    return this.records(false);
  }

  /** The last record, when the text does not end with a line ending. */
  end(): CsvRecord[] {
    return this.records(true);
  }

  private records(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const text = this.text;
    while (this.pos < text.length) {
      const ending = this.ending; // known after the first line
      if (ending !== undefined && (this.nextQuote === -1 || this.nextQuote > this.pos)) {
        let end = text.indexOf(ending, this.pos);
        if (end === -1) {
          if (!final) break;
          end = text.length;
        }
        if (this.nextQuote === -1 || this.nextQuote > end) {
          const line = text.slice(this.pos, end);
          out.push({ line: this.line, cells: line.split(this.delimiter) });
          this.line += 1 + (ending === "\n" ? 0 : newlines(line));
          this.pos = end + ending.length;
          continue;
        }
      }
      const record = this.quotedRecord(final);
      if (!record) break;
      out.push(record);
    }
    return out;
  }

  /** Whether a line ending starts at i; the first one seen decides which ending the file uses. */
  private endingAt(i: number, final: boolean): number | "more" {
    const c = this.text.charCodeAt(i);
    if (c !== CR && c !== LF) return 0;
    if (this.ending === undefined) {
      if (c === CR && i + 1 === this.text.length && !final) return "more";
      this.ending = c === LF ? "\n" : this.text.charCodeAt(i + 1) === LF ? "\r\n" : "\r";
    }
    if (this.text.startsWith(this.ending, i)) return this.ending.length;
    return !final && this.ending.startsWith(this.text.slice(i)) ? "more" : 0; // \r of a \r\n cut by the chunk
  }

  /** The record at pos, cell by cell, for lines with quotes (and the first line); undefined until it is complete. */
  private quotedRecord(final: boolean): CsvRecord | undefined {
    const text = this.text;
    const cells: string[] = [];
    let lines = 0; // \n inside the record's cells so far
    let i = this.pos;
    for (;;) {
      let cell: string;
      let after: number; // where the cell ends
      if (text.charCodeAt(i) === QUOTE) {
        cell = "";
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || (q + 1 === text.length && !final)) {
            if (final)
              throw new Error(`Quote Not Closed: the parsing is finished with an opening quote at line ${this.line + lines + newlines(text.slice(i, -1))}`);
            return undefined;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            cell += text.slice(from, q + 1);
            from = q + 2;
          } else {
            cell += text.slice(from, q);
            after = q + 1;
            break;
          }
        }
        lines += newlines(cell);
        const next = text.charCodeAt(after);
        if (after < text.length && next !== this.delimiterCode) {
          const ending = this.endingAt(after, final);
          if (ending === "more") return undefined;
          if (ending === 0) {
            throw new Error(
              `Invalid Closing Quote: got "${text[after]}" at line ${this.line + lines} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
            );
          }
        }
      } else {
        let k = i;
        for (; k < text.length; k++) {
          const c = text.charCodeAt(k);
          if (c === this.delimiterCode) break;
          if (c === QUOTE) {
            throw new Error(
              `Invalid Opening Quote: a quote is found on field ${cells.length} at line ${this.line + lines}, value is ${JSON.stringify(text.slice(i, k))}`,
            );
          }
          const ending = this.endingAt(k, final);
          if (ending === "more") return undefined;
          if (ending !== 0) break;
        }
        if (k === text.length && !final) return undefined;
        cell = text.slice(i, k);
        lines += newlines(cell);
        after = k;
      }
      cells.push(cell);
      if (text.charCodeAt(after) === this.delimiterCode) {
        i = after + 1;
        continue;
      }
      // a line ending or the end of the text
      const record = { line: this.line, cells };
      this.line += 1 + lines;
      this.pos = after < text.length ? after + this.ending!.length : after;
      this.nextQuote = text.indexOf('"', this.pos);
      return record;
    }
  }
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

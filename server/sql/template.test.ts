import { describe, expect, it } from "vitest";
import { columnOf, render, sql, tableOf } from "./template.ts";
import { Statement } from "./statement.ts";
import { shelters } from "../layers/shelters.ts";

describe("render", () => {
  it("fills every occurrence of each placeholder", () => {
    expect(render("SELECT {{c}} FROM {{t}} t JOIN {{t}} u USING ({{c}}) LIMIT {{n}}", { t: tableOf(shelters), c: columnOf(shelters, "capacity"), n: 25 })).toBe(
      'SELECT "capacity" FROM "shelters" t JOIN "shelters" u USING ("capacity") LIMIT 25',
    );
  });

  it("refuses a placeholder left without a value, a value without a placeholder, and a malformed placeholder", () => {
    expect(() => render("SELECT {{a}}, {{b}}", { a: sql`1` })).toThrow("no value for placeholder {{b}}");
    expect(() => render("SELECT {{a}}", { a: sql`1`, b: sql`2` })).toThrow("no placeholder {{b}}");
    expect(() => render("SELECT {{a-b}}", {})).toThrow("malformed placeholder");
    expect(() => render("SELECT {{n}}", { n: Number.NaN })).toThrow("not a finite number");
  });

  it("takes identifiers only from the registry", () => {
    expect(() => columnOf(shelters, "capacity; DROP TABLE shelters")).toThrow("shelters has no column");
    expect(() => columnOf(shelters, "no_such_field")).toThrow("shelters has no column");
  });
});

describe("Statement", () => {
  it("binds each name once, wherever it occurs, and leaves casts and strings alone", () => {
    const s = new Statement("SELECT :here::geography, ':x', t.a::int FROM t WHERE :here IS NOT NULL AND b = :b");
    expect(s.text).toBe("SELECT $1::geography, ':x', t.a::int FROM t WHERE $1 IS NOT NULL AND b = $2");
  });

  it("refuses to run without a value for every name", async () => {
    const s = new Statement("SELECT :a, :b");
    await expect(s.on({} as never, { a: 1 })).rejects.toThrow("no value for :b");
    await expect(s.on({} as never, { a: 1, b: undefined })).rejects.toThrow("no value for :b");
  });

  it("refuses a prepared statement name PostgreSQL would cut", () => {
    expect(() => new Statement("SELECT 1", "n".repeat(64))).toThrow("longer than 63");
  });
});

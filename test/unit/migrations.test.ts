import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../migrations/index.ts";

// A landed migration is a frozen record: databases in the field ran it as it was, so an edit changes
// nothing there and makes a fresh database differ from theirs. migrations/landed.sha256 (sha256sum's
// format, `sha256sum -c migrations/landed.sha256` checks it too) lists every landed migration.

const HOW_TO_ADD =
  "Never edit a landed migration: write a new one that changes things. To land a new migration, list it in " +
  "migrations/index.ts, then run `sha256sum migrations/<its file> >> migrations/landed.sha256` and commit both.";

const dir = new URL("../../migrations/", import.meta.url);
const sha256 = (file: string) =>
  createHash("sha256")
    .update(readFileSync(new URL(file, dir)))
    .digest("hex");
const landed = new Map(
  readFileSync(new URL("landed.sha256", dir), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [, sum, file] = /^([0-9a-f]{64}) [ *]migrations\/(.+)$/.exec(line) ?? [];
      if (!sum || !file) throw new Error(`migrations/landed.sha256: not a sha256sum line: ${line}`);
      return [file, sum] as const;
    }),
);
const migrationFiles = readdirSync(dir)
  .filter((f) => /^\d{8}_\d{3}_.+\.ts$/.test(f))
  .sort();

describe("landed migrations", () => {
  it("are each still there, byte for byte as they landed", () => {
    const changed = [...landed].filter(([file, sum]) => !existsSync(new URL(file, dir)) || sha256(file) !== sum).map(([file]) => file);
    expect(changed, `changed or removed after they landed. ${HOW_TO_ADD}`).toEqual([]);
  });

  it("include every migration file (a new one is listed deliberately)", () => {
    const unlisted = migrationFiles.filter((f) => !landed.has(f));
    expect(unlisted, `not in migrations/landed.sha256. ${HOW_TO_ADD}`).toEqual([]);
  });

  it("are the migrations that run, in order", () => {
    expect(
      MIGRATIONS.map(([name]) => name),
      `migrations/index.ts must list every migration file, in order. ${HOW_TO_ADD}`,
    ).toEqual(migrationFiles);
  });
});

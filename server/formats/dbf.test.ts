import { describe, expect, it } from "vitest";
import { dbfNames } from "./dbf.ts";

describe("dbfNames", () => {
  it("cuts names to 10 characters and numbers the ones that collide, predictably", () => {
    expect(dbfNames(["id", "risk_level", "nearest_open_shelter_m", "nearest_depot_m", "township_code", "township_codes", "township_c"])).toEqual([
      "id",
      "risk_level",
      "nearest_op",
      "nearest_de",
      "township_c",
      "township_1",
      "township_2",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";
import { withToken } from "../support/world.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";

const demo = useDemoWorld();

describe("a clerk's refusal outside their townships names the townships in Chinese", () => {
  it("names the township the shelter lies in and the clerk's own, by name and code", async () => {
    const [mine, theirs] = demo.snapshot.townships.sort((a, b) => a.admin_code.localeCompare(b.admin_code));
    const account = await createAccount(demo.world.db, {
      username: "clerk.one",
      password: "clerk-password-1",
      roles: ["clerk"],
      townships: [mine!.admin_code],
    });
    const { token } = await createToken(demo.world.db, Number(account.id), "test");
    const { rows } = await demo.world.db.raw(
      "SELECT s.id, s.version FROM shelters s JOIN townships t ON ST_Covers(t.geom, s.geom) WHERE t.admin_code = ? ORDER BY s.id LIMIT 1",
      [theirs!.admin_code],
    );
    const res = await withToken(token)(`${demo.world.base}/api/v1/layers/shelters/features/${rows[0].id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${rows[0].version}"` },
      body: JSON.stringify({ properties: { occupancy: 1 } }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toBe(`shelters ${rows[0].id} lies in ${theirs!.name}, outside your townships (${mine!.name} ${mine!.admin_code})`);
  });
});

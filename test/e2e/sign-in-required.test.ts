// A server that lets no one read without signing in, in a real browser: the sign-in form first, no map
// data until someone signs in.
import { describe, expect, it } from "vitest";
import { newPage, PASSWORD, rendered, screenshot, useBrowserWorld, waitForMap } from "../support/browser.ts";

const closed = useBrowserWorld({ anonymousRead: false });

describe("a server that lets no one read without signing in", () => {
  it("shows the sign-in form first, gets no map data until a viewer signs in, then draws the map", async () => {
    const { page: visitor } = await newPage(closed.browser, closed.world.base);
    const answers: { url: string; status: number }[] = [];
    visitor.on("response", (r) => answers.push({ url: r.url(), status: r.status() }));
    await visitor.goto(closed.world.base);
    await visitor.waitForSelector("#sign-in-dialog[open]");
    expect(await visitor.evaluate(() => document.activeElement?.id)).toBe("sign-in-username");
    expect(await visitor.isHidden("#map")).toBe(true);
    await screenshot(visitor, "15-sign-in-required");
    const mapData = (a: { url: string }) => /\/tiles\/|\/api\/v1\/(layers|items|changes)/.test(new URL(a.url).pathname);
    expect(answers.filter(mapData).map((a) => a.status)).toEqual([401]); // the one question: may anyone read?

    // Escape closes the form; the page still offers to sign in
    await visitor.keyboard.press("Escape");
    await visitor.click("#sign-in-required button");
    await visitor.fill("#sign-in-username", "viewer");
    await visitor.fill("#sign-in-password", PASSWORD);
    await Promise.all([visitor.waitForEvent("load"), visitor.press("#sign-in-password", "Enter")]);
    await waitForMap(visitor);
    expect(await rendered(visitor, ["villages-point"])).toBeGreaterThan(0);
    expect(
      answers
        .filter(mapData)
        .slice(1)
        .every((a) => a.status < 400),
    ).toBe(true);
    expect(await visitor.textContent("#account-name")).toBe("赵敏 · 查看员");
  });
});

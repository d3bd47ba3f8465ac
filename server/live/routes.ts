import { Router } from "express";
import type { ChangeFeed } from "./change_feed.ts";
import type { Access } from "../auth/access.ts";

/** Server-sent events: every write to a layer, as `event: change` with {layer, op, id}. */
export function liveRoutes(feed: ChangeFeed, access: Access): Router {
  const router = Router();
  router.get("/changes", access.requires("read"), (req, res) => {
    res.set({ "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.flushHeaders();
    res.write("retry: 2000\n\n");
    const unsubscribe = feed.subscribe((c) => res.write(`event: change\ndata: ${JSON.stringify(c)}\n\n`));
    // a comment now and then keeps proxies from closing an idle stream
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  return router;
}

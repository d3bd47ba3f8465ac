import { afterAll, beforeAll } from "vitest";
import type { Db } from "../../server/db.ts";
import { startDemoWorld, type World } from "./world.ts";
import { snapshot, type Snapshot } from "./snapshot.ts";

/** The demo county of a test file and its snapshot (the rows the truth computations read). */
export interface DemoWorld {
  readonly world: World;
  readonly snapshot: Snapshot;
}

/**
 * The demo county for the tests of one file: started before them (`prepare` first changes what the
 * file needs changed, before the snapshot is read) and closed after them. Read `world` and `snapshot`
 * inside a test or hook: they do not exist while the file loads.
 */
export function useDemoWorld(prepare?: (db: Db) => Promise<void>): DemoWorld {
  let world: World | undefined;
  let rows: Snapshot | undefined;
  beforeAll(async () => {
    world = await startDemoWorld();
    await prepare?.(world.db);
    rows = await snapshot(world.db);
  });
  afterAll(() => world?.close());
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error("the demo world starts before the tests: read it inside a test");
    return x;
  };
  return {
    get world() { return started(world); },
    get snapshot() { return started(rows); },
  };
}

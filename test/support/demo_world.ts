import { afterAll, beforeAll } from "vitest";
import type { Db } from "../../server/db.ts";
import { startDemoWorld, type World, type WorldOptions } from "./world.ts";
import { snapshot, type Snapshot } from "./snapshot.ts";

/** The demo county of a test file and its snapshot (the rows the truth computations read). */
export interface DemoWorld {
  readonly world: World;
  readonly snapshot: Snapshot;
}

export interface DemoWorldOptions extends WorldOptions {
  /** What the tests need changed or added, done before the snapshot is read. */
  prepare?: (db: Db) => Promise<void>;
}

/**
 * The demo county for the tests of one file (or describe block): started before them, prepared, its
 * snapshot read, and closed after them. Read `world` and `snapshot` inside a test or hook: they do not
 * exist while the file loads.
 */
export function useDemoWorld({ prepare, ...options }: DemoWorldOptions = {}): DemoWorld {
  let world: World | undefined;
  let rows: Snapshot | undefined;
  beforeAll(async () => {
    world = await startDemoWorld(options);
    await prepare?.(world.db);
    rows = await snapshot(world.db);
  });
  afterAll(() => world?.close());
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error("the demo world starts before the tests: read it inside a test");
    return x;
  };
  return {
    get world() {
      return started(world);
    },
    get snapshot() {
      return started(rows);
    },
  };
}

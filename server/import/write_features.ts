import type { Db } from "../db.ts";
import { allFields, type Layer } from "../layers/layer.ts";
import { Duplicates } from "./duplicates.ts";
import { loadIntoEmpty, loadsIntoEmpty } from "./load_into_empty.ts";
import { stagedUpsert } from "./staged_upsert.ts";
import { tableCatalog } from "./table_catalog.ts";
import type { RowError, RowFeature } from "./row_feature.ts";
import { currentActor } from "../write_transaction.ts";
import type { Jurisdiction } from "../auth/permissions.ts";
import { withConnection } from "../sql/connection.ts";
import { Statement } from "../sql/statement.ts";

export interface WriteResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows without a code: always inserted as new features. */
  withoutCode: number;
  errors: RowError[];
  /** Errors beyond the first MAX_ERRORS, counted but not listed. */
  moreErrors: number;
}

const MAX_ERRORS = 1000;

const SETTINGS = new Statement(
  "SELECT set_config('hazmap.bulk', 'on', true), set_config('work_mem', '256MB', true), set_config('statement_timeout', '0', true), set_config('hazmap.actor', :actor, true)",
);
const NOTIFY = new Statement("SELECT pg_notify('hazmap_changes', json_build_object('layer', :table::text, 'op', 'import')::text)");

/**
 * Write a file's features into a layer in ONE transaction, all or nothing: upserted by `code` through
 * a staging table checked as a set (stagedUpsert), or, into an empty point layer, straight into its
 * table (loadIntoEmpty). Any rejected row — there or reported by the caller — rolls everything back; a
 * dry run rolls back too, after counting. Per-row change notifications are off (`hazmap.bulk`); one
 * `{layer, op: "import"}` notification says the layer changed.
 */
export async function writeFeatures(
  db: Db,
  layer: Layer,
  features: AsyncIterable<(RowFeature | RowError[])[]>,
  { dryRun, within }: { dryRun: boolean; within: Jurisdiction },
): Promise<WriteResult> {
  const result: WriteResult = { rows: 0, inserted: 0, updated: 0, unchanged: 0, withoutCode: 0, errors: [], moreErrors: 0 };
  const reject = (errors: RowError[]) => {
    for (const e of errors) result.errors.length < MAX_ERRORS ? result.errors.push(e) : result.moreErrors++;
  };
  /** The features that passed the schema, counted; the others' errors kept. */
  async function* accepted(): AsyncGenerator<RowFeature[]> {
    for await (const batch of features) {
      const ok: RowFeature[] = [];
      for (const f of batch) {
        result.rows++;
        if (Array.isArray(f)) reject(f);
        else {
          if (f.properties.code === undefined) result.withoutCode++;
          ok.push(f);
        }
      }
      yield ok;
    }
  }

  return withConnection(db, async (client) => {
    try {
      await client.query("BEGIN");
      // hazmap.actor: the audit trail names who imported each row (as writeTransaction does)
      await SETTINGS.on(client, { actor: JSON.stringify(currentActor() ?? {}) });
      const catalog = await tableCatalog(client, layer.table);
      const duplicates = new Duplicates(catalog.unique.filter((c) => c in allFields(layer)));
      const rejected = () => result.errors.length > 0;
      // a clerk limited to townships is checked on staged rows
      const written =
        within === "all" && (await loadsIntoEmpty(client, layer))
          ? await loadIntoEmpty(client, layer, catalog, accepted(), duplicates, rejected)
          : await stagedUpsert(client, layer, catalog, accepted(), duplicates, within, rejected);
      if (Array.isArray(written)) reject(written);
      if (result.errors.length > 0) {
        result.errors.sort((a, b) => a.row - b.row);
        await client.query("ROLLBACK");
        return result;
      }
      Object.assign(result, written);

      if (result.inserted + result.updated > 0) {
        await NOTIFY.on(client, { table: layer.table });
      }
      await client.query(dryRun ? "ROLLBACK" : "COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  });
}

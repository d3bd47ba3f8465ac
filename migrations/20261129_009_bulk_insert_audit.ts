import type { Knex } from "knex";
import { auditFunction } from "./20261129_008_tokens_and_audit.ts";

// A statement that inserts more than BULK rows into a table keyed by `id` (an import into a layer) is
// one audit entry: who, when, how many, and which ids (a multirange, `ids`), instead of one entry a row.
// Nothing is lost: the values a row was inserted with are the `before` of its first audited change, or
// the row as it stands if it has not changed since. Updates and deletes stay one entry a row. One entry
// a row made an import of 1,000,000 villages take twice as long (the JSON of every row).
const BULK = 1000;

export async function up(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE audit ADD COLUMN ids int8multirange");
  await knex.raw("CREATE INDEX audit_ids ON audit USING gist (ids) WHERE ids IS NOT NULL");
  // nested: a condition naming new_rows must not even be planned when the statement has none
  await knex.raw(auditFunction(`
      IF TG_OP = 'INSERT' AND keys = '{id}' THEN
        IF (SELECT count(*) > ${BULK} FROM new_rows) THEN
          INSERT INTO audit (actor_id, actor, via, ip, request, action, entity, ids, detail)
          SELECT who_id, who, who_via, actor ->> 'ip', actor ->> 'request', 'insert', TG_TABLE_NAME,
                 -- one range when the ids run without a gap, as they do unless others insert meanwhile
                 CASE WHEN max(n.id) - min(n.id) + 1 = count(*) THEN int8multirange(int8range(min(n.id), max(n.id), '[]'))
                      ELSE (SELECT range_agg(int8range(r.id, r.id, '[]')) FROM new_rows r) END,
                 jsonb_build_object('rows', count(*))
            FROM new_rows n;
          RETURN NULL;
        END IF;
      END IF;`));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditFunction());
  await knex.raw("ALTER TABLE audit DROP COLUMN ids");
}

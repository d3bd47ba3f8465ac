import type { Knex } from "knex";

// Real sheets hold administrative codes of other lengths than China's 12-digit 统计用区划代码 (Taiwan's
// MOI township codes have 8 digits, village codes 11; a county's own list may stop at 9), and a township
// may be known by its code and name before anyone has its boundary. So codes of 6–12 digits are
// accepted (a 12-digit one must keep the structure of 统计用区划代码: a township's ends in 000 after a
// non-zero township part, a village's has non-zero township and village parts), and a township's
// polygon may be missing. Copies of server/layers/admin_code.ts, as migrations keep their own (with plain
// groups: knex would take the ? of (?: for a binding).
const PART = "(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})";
const TOWNSHIP_CODE = `^([0-9]{6,11}|[0-9]{6}${PART}000)$`;
const VILLAGE_CODE = `^([0-9]{6,11}|[0-9]{6}${PART}${PART})$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE townships DROP CONSTRAINT townships_admin_code_check,
      ADD CONSTRAINT townships_admin_code_check CHECK (admin_code ~ '${TOWNSHIP_CODE}'),
      ALTER COLUMN geom DROP NOT NULL;
    ALTER TABLE villages DROP CONSTRAINT villages_admin_code_check,
      ADD CONSTRAINT villages_admin_code_check CHECK (admin_code ~ '${VILLAGE_CODE}');`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE townships DROP CONSTRAINT townships_admin_code_check,
      ADD CONSTRAINT townships_admin_code_check CHECK (admin_code ~ '^[0-9]{12}$'),
      ALTER COLUMN geom SET NOT NULL;
    ALTER TABLE villages DROP CONSTRAINT villages_admin_code_check,
      ADD CONSTRAINT villages_admin_code_check CHECK (admin_code ~ '^[0-9]{12}$');`);
}

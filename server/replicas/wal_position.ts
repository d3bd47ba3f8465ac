/**
 * A position in PostgreSQL's write-ahead log (pg_lsn, written `16/B374D848`) as a number, to compare:
 * a standby whose replay position is at or past a write's position holds that write.
 */
export type WalPosition = bigint;

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** The position written as PostgreSQL writes it, or undefined when the text is not one. */
export function parseWalPosition(text: string | null | undefined): WalPosition | undefined {
  const m = LSN.exec(text ?? "");
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : undefined;
}

export function formatWalPosition(at: WalPosition): string {
  return `${(at >> 32n).toString(16).toUpperCase()}/${(at & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Beyond every position: what no standby has replayed. */
export const PAST_EVERY_POSITION: WalPosition = 0xffffffffffffffffn;

/**
 * The primary's position as far as WAL has been inserted (pg_current_wal_insert_lsn), not written
 * (pg_current_wal_lsn): with synchronous_commit off, a commit just made may still be in the WAL
 * buffers, before the write position, yet already visible on the primary.
 */
export const PRIMARY_POSITION_SQL = "SELECT pg_current_wal_insert_lsn()::text AS at";

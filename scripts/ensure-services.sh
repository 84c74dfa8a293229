#!/usr/bin/env bash
# Makes sure PostgreSQL (with pg_stat_statements) and Redis are reachable for the tests.
# - DATABASE_URL / REDIS_URL set: they are used as given, nothing is started.
# - unset: the local servers on 127.0.0.1 are checked, started if installed, and
#   installed from Debian's packages when QUERYLENS_INSTALL_SERVICES=1 (CI) and we are root.
# Fails with a message naming what is missing.
set -u
install_ok="${QUERYLENS_INSTALL_SERVICES:-0}"
missing=()

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  [ "$install_ok" = 1 ] && [ "$(id -u)" = 0 ] || return 1
  [ -n "${_apt_updated:-}" ] || { apt-get update -qq >/dev/null 2>&1; _apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ensure_pg() {
  if ! have pg_ctlcluster && ! have pg_isready; then apt_install postgresql postgresql-contrib || true; fi
  if ! pg_up && have pg_ctlcluster; then
    v=$(ls /etc/postgresql 2>/dev/null | head -1)
    [ -n "$v" ] && pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1
    for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
  fi
  if ! pg_up; then missing+=("PostgreSQL on 127.0.0.1:5432 (install the postgresql package or set DATABASE_URL)"); return; fi
  # trust auth for local tests and the databases the suites use
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1 || { missing+=("PostgreSQL role postgres with trust auth on 127.0.0.1 (or set DATABASE_URL)"); return; }
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname='test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -qc "create database test" >/dev/null
  # pg_stat_statements (the sanitizer's fingerprints are checked against its queryid)
  if ! psql -h 127.0.0.1 -U postgres -d test -Atqc "show shared_preload_libraries" | grep -q pg_stat_statements; then
    v=$(ls /etc/postgresql 2>/dev/null | head -1)
    if [ -n "$v" ] && have pg_ctlcluster; then
      psql -h 127.0.0.1 -U postgres -d test -qc "alter system set shared_preload_libraries = 'pg_stat_statements'" >/dev/null
      pg_ctlcluster --skip-systemctl-redirect "$v" main restart >/dev/null 2>&1
      for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
    fi
  fi
  psql -h 127.0.0.1 -U postgres -d test -qc "create extension if not exists pg_stat_statements" >/dev/null 2>&1 || true
}

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null; }
ensure_redis() {
  have redis-server || apt_install redis-server || true
  if ! redis_up && have redis-server; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 \
      || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1
    for _ in $(seq 1 30); do redis_up && break; sleep 0.3; done
  fi
  redis_up || missing+=("Redis on 127.0.0.1:6379 (install the redis-server package or set REDIS_URL)")
}

# promtool/prometheus check the example's deployment files (missing: those tests are skipped)
have promtool || { apt_install prometheus || true; }

[ -n "${DATABASE_URL:-}" ] || ensure_pg
[ -n "${REDIS_URL:-}" ] || ensure_redis
if [ "${#missing[@]}" -gt 0 ]; then
  echo "querylens tests need services that are not available:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi
exit 0

#!/usr/bin/env bash
# Ensures a local PostgreSQL server (Debian's postgresql package) is running and holds the test
# database, then prints its SQLAlchemy URL on stdout:
#
#   postgresql+psycopg://adoption:adoption@127.0.0.1:5432/adoption_test
#
# Safe to run again: a second run only checks and prints. Needs root (re-runs itself with sudo).
# Override with PG_ROLE, PG_PASSWORD, PG_DATABASE, PG_CLUSTER and PG_PORT (the port of a cluster
# it creates; an existing cluster keeps its own).
set -euo pipefail

ROLE="${PG_ROLE:-adoption}"
PASSWORD="${PG_PASSWORD:-adoption}"
DATABASE="${PG_DATABASE:-adoption_test}"
WANTED_PORT="${PG_PORT:-5432}"
CLUSTER="${PG_CLUSTER:-main}"

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

url() { echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$1/$DATABASE"; }
can_log_in() {
  command -v psql >/dev/null 2>&1 && PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=3 \
    psql -X -q -h 127.0.0.1 -p "$1" -U "$ROLE" -d "$DATABASE" -c "SELECT 1" >/dev/null 2>&1
}

# Already done (a second run, or a server set up by hand): nothing to change, no root needed.
if [ -z "${PG_CLUSTER:-}" ] && can_log_in "$WANTED_PORT"; then
  url "$WANTED_PORT"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || die "run as root (or install sudo)"
  exec sudo -E bash "$0" "$@"
fi

command -v pg_lsclusters >/dev/null 2>&1 \
  || die "PostgreSQL is not installed: apt-get install -y postgresql"

# Newest installed server version (a directory per version under /usr/lib/postgresql).
VERSION="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
[ -n "$VERSION" ] && [ -x "/usr/lib/postgresql/$VERSION/bin/postgres" ] \
  || die "no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install -y postgresql"

# Columns of pg_lsclusters -h: version cluster port status owner datadir logfile.
cluster_line() { pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c'; }

if [ -z "$(cluster_line)" ]; then
  say "creating cluster $VERSION/$CLUSTER on port $WANTED_PORT"
  pg_createcluster --port "$WANTED_PORT" "$VERSION" "$CLUSTER" >/dev/null
fi

PORT="$(cluster_line | awk '{print $3}')"
if [ "$(cluster_line | awk '{print $4}')" != "online" ]; then
  say "starting cluster $VERSION/$CLUSTER on port $PORT"
  # Without systemd (containers, CI) pg_ctlcluster starts the server itself; with systemd it
  # hands over to the postgresql@VERSION-CLUSTER unit.
  pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" \
  || die "the server does not answer on 127.0.0.1:$PORT; see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"

as_postgres() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

if [ "$(as_postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  say "creating role $ROLE"
  as_postgres -c "CREATE ROLE \"$ROLE\" LOGIN PASSWORD '$PASSWORD'"
fi
# The URL only works with this password over TCP (pg_hba: scram-sha-256 on 127.0.0.1).
if ! PGPASSWORD="$PASSWORD" psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -c "SELECT 1" \
  >/dev/null 2>&1; then
  say "setting the password of role $ROLE"
  as_postgres -c "ALTER ROLE \"$ROLE\" LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  say "creating database $DATABASE owned by $ROLE"
  as_postgres -c "CREATE DATABASE \"$DATABASE\" OWNER \"$ROLE\""
fi

can_log_in "$PORT" || die "cannot log in as $ROLE to $DATABASE on 127.0.0.1:$PORT (check pg_hba.conf)"
url "$PORT"

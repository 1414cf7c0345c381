#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the store's PostgreSQL tests (PostgresStoreIT):
# uses a running one, else starts the installed Debian cluster, else installs Debian's postgresql
# (as root, or through sudo without a password) and starts it. It then logs in as the tests will
# (their role, their database, over TCP) so that a server they could not use fails here, not there.
# Prints the settings the tests read, as shell exports, on stdout. Progress and the output of the
# commands it runs go to stderr; when it cannot, its last line there says why, and it exits 1.
set -uo pipefail

DB=kubeactor_test
USER_NAME=kubeactor
PASSWORD=kubeactor

say() { echo "ensure-postgres: $*" >&2; }
fail() { say "$*"; exit 1; }

# root, or sudo that asks no password (CI's user may be either)
if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
  as_postgres() { su postgres -c "$1"; }
  can_be_root=1
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
  as_postgres() { sudo -n -u postgres sh -c "$1"; }
  can_be_root=1
else
  as_root() { return 1; }
  as_postgres() { sh -c "$1"; }
  can_be_root=0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  [ "$can_be_root" = 1 ] \
    || fail "PostgreSQL is not installed, and installing it needs root or sudo: apt-get install postgresql"
  command -v apt-get >/dev/null 2>&1 \
    || fail "PostgreSQL is not installed and there is no apt-get to install Debian's postgresql package"
  say "installing Debian's postgresql package"
  as_root apt-get update -qq >&2 || fail "apt-get update failed (see above), so PostgreSQL could not be installed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
    || fail "apt-get install postgresql failed (see above)"
  command -v pg_lsclusters >/dev/null 2>&1 || fail "apt-get installed postgresql but pg_lsclusters is missing"
fi

cluster_line() { pg_lsclusters --no-header 2>/dev/null | head -n 1; }

read -r version cluster port status _ < <(cluster_line)
if [ -z "${version:-}" ]; then
  [ "$can_be_root" = 1 ] || fail "no PostgreSQL cluster exists, and creating one needs root or sudo"
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || fail "no PostgreSQL server is installed under /usr/lib/postgresql"
  say "creating PostgreSQL cluster $version/main"
  as_root pg_createcluster "$version" main >&2 || fail "pg_createcluster $version main failed (see above)"
  read -r version cluster port status _ < <(cluster_line)
  [ -n "${version:-}" ] || fail "pg_createcluster succeeded but pg_lsclusters lists no cluster"
fi

if [[ "$status" != online* ]]; then
  [ "$can_be_root" = 1 ] || fail "PostgreSQL $version/$cluster is down, and starting it needs root or sudo"
  say "starting PostgreSQL $version/$cluster on port $port"
  if ! as_root pg_ctlcluster "$version" "$cluster" start >&2; then
    log=/var/log/postgresql/postgresql-$version-$cluster.log
    fail "PostgreSQL $version/$cluster did not start: $(as_root tail -n 1 "$log" 2>/dev/null || echo "see $log")"
  fi
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" \
  || fail "PostgreSQL $version/$cluster does not accept connections on 127.0.0.1:$port (pg_isready)"

login() { PGPASSWORD=$PASSWORD psql -X "host=127.0.0.1 port=$port user=$USER_NAME dbname=$DB" -tAc "SELECT 1" 2>&1; }

if ! login >/dev/null; then
  # the tests' role (its password set each time, so a role made elsewhere works too) and database
  sql() { as_postgres "psql -X -p $port -v ON_ERROR_STOP=1 -tAc \"$1\""; }
  roles=$(sql "SELECT 1 FROM pg_roles WHERE rolname='$USER_NAME'") \
    || fail "cannot connect to PostgreSQL $version/$cluster as its superuser to create the tests' role (needs root or sudo)"
  if [ "$roles" = 1 ]; then
    sql "ALTER ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >/dev/null || fail "could not set role $USER_NAME's password"
  else
    sql "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >/dev/null || fail "could not create role $USER_NAME"
  fi
  [ "$(sql "SELECT 1 FROM pg_database WHERE datname='$DB'")" = 1 ] \
    || sql "CREATE DATABASE $DB OWNER $USER_NAME" >/dev/null || fail "could not create database $DB"
  out=$(login) || fail "role $USER_NAME cannot log in to $DB at 127.0.0.1:$port: $(echo "$out" | head -n 1)"
fi

echo "export KUBEACTOR_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/$DB"
echo "export KUBEACTOR_TEST_POSTGRES_USER=$USER_NAME"
echo "export KUBEACTOR_TEST_POSTGRES_PASSWORD=$PASSWORD"

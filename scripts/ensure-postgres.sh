#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the store's PostgreSQL tests: uses a running one,
# else starts the installed Debian cluster, else (as root with apt) installs Debian's postgresql.
# Prints the settings the tests read, as shell exports; prints nothing and exits 1 if it cannot.
set -euo pipefail

DB=kubeactor_test
USER_NAME=kubeactor
PASSWORD=kubeactor

say() { echo "ensure-postgres: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's postgresql package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 \
      || { say "apt-get install postgresql failed"; exit 1; }
  else
    say "PostgreSQL is not installed; install Debian's postgresql package (apt-get install postgresql)"
    exit 1
  fi
fi

read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${version:-}" ]; then
  [ "$(id -u)" = 0 ] || { say "no PostgreSQL cluster exists and creating one needs root"; exit 1; }
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$status" != "online" ]; then
  [ "$(id -u)" = 0 ] || { say "PostgreSQL $version/$cluster is down and starting it needs root"; exit 1; }
  pg_ctlcluster "$version" "$cluster" start >&2
fi

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$USER_NAME'\"" | grep -q 1 \
  || as_postgres "psql -p $port -qc \"CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1 \
  || as_postgres "psql -p $port -qc \"CREATE DATABASE $DB OWNER $USER_NAME\"" >&2

echo "export KUBEACTOR_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/$DB"
echo "export KUBEACTOR_TEST_POSTGRES_USER=$USER_NAME"
echo "export KUBEACTOR_TEST_POSTGRES_PASSWORD=$PASSWORD"

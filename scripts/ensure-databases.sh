#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306) that the integration
# tests use are running, starting them if they are installed but stopped. Prints what it found.
# Exit 0 when at least one is reachable, 1 (with a clear message) when neither can be reached.
set -u

reachable() { # host port
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

wait_for() { # name port
  for _ in $(seq 1 40); do reachable 127.0.0.1 "$2" && return 0; sleep 0.5; done
  return 1
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1
}

start_mariadb() {
  [ -x /usr/sbin/mariadbd ] || return 1
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null 2>&1
}

# The integration tests start their own PgBouncer from Debian's package; install it when missing so
# those tests run on a fresh machine instead of failing for want of a binary.
if [ ! -x /usr/sbin/pgbouncer ] && command -v apt-get >/dev/null; then
  echo "pgbouncer: not installed, installing Debian's package"
  flock /tmp/dbhealth-apt.lock sh -c 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends pgbouncer >/dev/null' \
    || echo "pgbouncer: could not be installed; the PgBouncer tests will fail" >&2
fi

status=()
for engine in postgres:5432 mariadb:3306; do
  name=${engine%%:*}; port=${engine##*:}
  if reachable 127.0.0.1 "$port"; then
    status+=("$name: running on 127.0.0.1:$port")
  elif "start_$name" && wait_for "$name" "$port"; then
    status+=("$name: was stopped, started on 127.0.0.1:$port")
  else
    status+=("$name: NOT reachable on 127.0.0.1:$port and could not be started")
  fi
done
printf '%s\n' "${status[@]}"

if ! printf '%s\n' "${status[@]}" | grep -qv 'NOT reachable'; then
  echo "Neither PostgreSQL (127.0.0.1:5432) nor MariaDB (127.0.0.1:3306) can be reached." >&2
  echo "Install and start at least one (Debian: apt-get install postgresql mariadb-server) and run again." >&2
  exit 1
fi
exit 0

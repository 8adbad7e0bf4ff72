#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster in a temporary folder, on a free local port, as an unprivileged
# user, and prints the connection URL on stdout. Stop it with: pg_ctl -D <folder> stop (the folder is
# printed on stderr). Installs Debian's postgresql package when no server binary is found (needs root).
set -euo pipefail

bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

if ! bin_dir >/dev/null; then
  echo "postgres-throwaway: installing Debian's postgresql package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
PGBIN="$(bin_dir)"

RUN_AS=()
if [[ "$(id -u)" == "0" ]]; then
  # PostgreSQL refuses to run as root.
  id -u pgthrowaway >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgthrowaway
  RUN_AS=(runuser -u pgthrowaway --)
fi

DIR="$(mktemp -d /tmp/pg-throwaway.XXXXXX)"
chmod 700 "$DIR"
[[ ${#RUN_AS[@]} -gt 0 ]] && chown pgthrowaway "$DIR"
PORT="${PG_THROWAWAY_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"

"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Tuned for tests and benchmarks on a small machine; fsync stays on so durability is real.
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB" start >/dev/null
echo "postgres-throwaway: cluster in $DIR/data (log $DIR/server.log); stop with: ${RUN_AS[*]} $PGBIN/pg_ctl -D $DIR/data stop" >&2
echo "postgres://postgres@127.0.0.1:$PORT/postgres"

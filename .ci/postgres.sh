# Starts a private PostgreSQL cluster on 127.0.0.1 for the tests (sourced by .ci/run).
# initdb and pg_ctl refuse to run as root, so they run as the postgres user.
PG_PORT="${PG_PORT:-54329}"
PG_DATA="${PG_DATA:-/tmp/stancemark-pg-$PG_PORT}"

_as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_STARTED_HERE=""

start_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    # A test server already answering on the port (another run on this machine) is used, not restarted
    # under that run's feet; stop_postgres then leaves it alone.
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
        export STANCEMARK_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
        echo "PostgreSQL already running on 127.0.0.1:$PG_PORT: using it"
        return 0
    fi
    PG_STARTED_HERE=1
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA"
    _as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c fsync=off -c max_connections=200" start >/dev/null
    export STANCEMARK_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
    local bin
    [ -n "$PG_STARTED_HERE" ] || return 0
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

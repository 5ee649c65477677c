# shellcheck shell=bash
# tests/lib.sh - shared setup for tests/run, tests/shell, demo/run and suite scripts.
#
# Source it (". tests/lib.sh"); do not execute it.  It defines:
#   sipas_install_deps [pkg...]    install missing Debian packages (base list + extras)
#   sipas_build_install            make + make install of the extension (PGXS)
#   sipas_start_cluster [line...]  start a throwaway cluster; extra args are postgresql.conf lines
#   sipas_use_cluster INDEX        point PG* variables at an earlier cluster (0-based)
#   sipas_psql [psql args...]      psql -X -v ON_ERROR_STOP=1 against the current cluster
#   sipas_cleanup                  stop all clusters and remove their dirs (runs on EXIT anyway)
#   sipas_as_pg CMD...             run a server-side command as the cluster owner
# Call these directly, never inside $(...): they export variables into the calling shell.
#
# and the checks every suite uses (one output format; see "Writing a suite" in tests/README.md):
#   sipas_suite NAME               start suite NAME: counters, EXIT trap (a script that stops
#                                  early still prints its summary line, with one failure)
#   sipas_at_exit 'COMMAND'        run COMMAND on exit, before the clusters are stopped
#   ok DESC                        one passed check:  "ok - DESC"
#   not_ok DESC [DETAIL...]        one failed check:  "not ok - DESC", each DETAIL indented below
#   check DESC EXPECTED ACTUAL     ok when ACTUAL = EXPECTED, else not_ok showing both
#   check_query DESC QUERY [EXP]   check DESC EXP (default t) "$(sipas_q -c QUERY)"; an error fails
#   zero_rows DESC QUERY           ok when QUERY returns no row, else not_ok with its first rows
#   sipas_relay                    count the ok / not ok lines a helper program prints (stdin)
#   sipas_q [psql args...]         sipas_psql -q -At on database $SIPAS_DB (default: PGDATABASE)
#   finish                         print "NAME: N passed, M failed"; returns 1 when M > 0

# Sourced several times (a suite sourced from tests/run's environment is a new process, so
# this guard only matters for a script that sources the file twice).
if [[ -n ${_SIPAS_LIB_LOADED:-} ]]; then
    return 0
fi
_SIPAS_LIB_LOADED=1

# Repo root = parent of the directory holding this file; exported so suites can find it.
SIPAS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SIPAS_ROOT
# The PG 15 binaries are not on PATH on Debian (only the pg_wrapper scripts are); allow an
# override for developers with a different layout.
SIPAS_PG_BIN=${SIPAS_PG_BIN:-/usr/lib/postgresql/15/bin}
SIPAS_PG_CONFIG=${SIPAS_PG_CONFIG:-$SIPAS_PG_BIN/pg_config}
export SIPAS_PG_BIN SIPAS_PG_CONFIG

# Base Debian 12 packages.  postgresql-contrib-15 is only a virtual package provided by
# postgresql-15 (which ships postgres_fdw etc.), and C.UTF-8 is built into libc-bin, so
# neither is listed.
SIPAS_BASE_PACKAGES=(
    build-essential
    postgresql-15
    postgresql-server-dev-15
    postgresql-15-cron
    r-cran-survey
    sqlsmith
)

# Clusters started by this shell: parallel arrays, index = start order.
SIPAS_CLUSTER_DIRS=()
SIPAS_CLUSTER_PORTS=()
_SIPAS_APT_UPDATED=
_SIPAS_TRAP_SET=
_SIPAS_OWNER_PID=
_SIPAS_AT_EXIT=()

_sipas_log() { printf '[sipas] %s\n' "$*" >&2; }
_sipas_die() { printf '[sipas] ERROR: %s\n' "$*" >&2; return 1; }

# Run a command with root rights: directly as root, else through sudo if it exists.
_sipas_as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        _sipas_die "need root for: $* (not root and no sudo)"
    fi
}

# Run a server-side command as the cluster owner: postgres refuses to run as root, so as
# root we switch to the postgres OS user; otherwise the current user owns the cluster.
sipas_as_pg() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_sipas_pkg_installed() {
    # "dpkg -s" also succeeds for removed-but-not-purged packages, so check the Status line.
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

sipas_install_deps() {
    local pkg missing=()
    for pkg in "${SIPAS_BASE_PACKAGES[@]}" "$@"; do
        _sipas_pkg_installed "$pkg" || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    _sipas_log "installing missing packages: ${missing[*]}"
    # Update the package index only when something must be installed, and only once.
    if [[ -z $_SIPAS_APT_UPDATED ]]; then
        _sipas_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            || { _sipas_die "apt-get update failed"; return 1; }
        _SIPAS_APT_UPDATED=1
    fi
    _sipas_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || { _sipas_die "apt-get install failed for: ${missing[*]}"; return 1; }
}

sipas_build_install() {
    local rc=0
    _sipas_log "building in $SIPAS_ROOT"
    (cd "$SIPAS_ROOT" && make -j2 PG_CONFIG="$SIPAS_PG_CONFIG") || rc=$?
    if [[ $rc -ne 0 ]]; then
        printf '\n[sipas] ==================== BUILD FAILED (make exit %d) ====================\n\n' "$rc" >&2
        return 1
    fi
    # make install writes into /usr/lib/postgresql and /usr/share/postgresql: needs root.
    (cd "$SIPAS_ROOT" && _sipas_as_root make install PG_CONFIG="$SIPAS_PG_CONFIG") || rc=$?
    if [[ $rc -ne 0 ]]; then
        printf '\n[sipas] =================== INSTALL FAILED (make exit %d) ===================\n\n' "$rc" >&2
        return 1
    fi
}

# True when nothing accepts TCP connections on 127.0.0.1:$1.  ss is preferred (sees
# listeners without connecting); bash's /dev/tcp is the fallback.
_sipas_port_free() {
    if command -v ss >/dev/null 2>&1; then
        ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

_sipas_pick_port() {
    local port tries
    for tries in $(seq 1 100); do
        # RANDOM is 15 bits; combine two to cover the 20000-60000 range evenly.
        port=$(( ((RANDOM << 15) | RANDOM) % 40001 + 20000 ))
        if _sipas_port_free "$port"; then
            echo "$port"
            return 0
        fi
    done
    _sipas_die "no free port found after $tries tries"
}

sipas_start_cluster() {
    local tmp data logfile port attempt started='' base=${TMPDIR:-/tmp}
    # Unix socket paths are limited to 107 bytes: fall back to /tmp for a long TMPDIR.
    [[ ${#base} -le 60 ]] || base=/tmp
    # Fresh directory per cluster; nothing under /var/lib/postgresql or the system service.
    tmp=$(mktemp -d "$base/sipas-pg.XXXXXX") || { _sipas_die "mktemp failed"; return 1; }
    data=$tmp/data
    logfile=$tmp/postgres.log

    # Record the dir first, so the EXIT trap removes it even if initdb fails.
    _sipas_register_trap
    SIPAS_CLUSTER_DIRS+=("$tmp")
    SIPAS_CLUSTER_PORTS+=("")

    if [[ $EUID -eq 0 ]]; then
        # The server runs as postgres: it must own the dir; other users (root's psql,
        # pg_regress) must be able to traverse it to reach the socket.
        if ! { chown postgres:postgres "$tmp" && chmod 0755 "$tmp"; }; then
            _sipas_die "cannot hand $tmp to postgres"
            return 1
        fi
    fi

    # cd into the temp dir: the postgres user may not be able to read the caller's cwd.
    if ! (cd "$tmp" && sipas_as_pg "$SIPAS_PG_BIN/initdb" -D "$data" -E UTF8 --locale=C.UTF-8 \
            -A trust -U postgres --no-sync --no-instructions >"$tmp/initdb.log" 2>&1); then
        cat "$tmp/initdb.log" >&2
        _sipas_die "initdb failed in $data"
        return 1
    fi

    # Base settings: socket only in our dir, TCP only on loopback, speed over durability.
    {
        echo "# --- added by tests/lib.sh ---"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$tmp'"
        echo "fsync = off"
        local line
        for line in "$@"; do
            printf '%s\n' "$line"
        done
    } >>"$data/postgresql.conf" || { _sipas_die "cannot write $data/postgresql.conf"; return 1; }

    # A port checked free can still be taken before the server binds it; retry a few times.
    for attempt in 1 2 3 4 5; do
        port=$(_sipas_pick_port) || return 1
        # Later settings win, so appending a new port line on retry is enough.
        echo "port = $port" >>"$data/postgresql.conf"
        if (cd "$tmp" && sipas_as_pg "$SIPAS_PG_BIN/pg_ctl" -D "$data" -l "$logfile" -w -t 60 \
                start >"$tmp/pg_ctl.log" 2>&1); then
            started=1
            break
        fi
        if grep -qE 'could not (bind|create lock file)|Address already in use' "$logfile" 2>/dev/null; then
            _sipas_log "port $port taken while starting (attempt $attempt), retrying"
            continue
        fi
        break
    done
    if [[ -z $started ]]; then
        cat "$tmp/pg_ctl.log" >&2
        echo "----- $logfile -----" >&2
        cat "$logfile" >&2 2>/dev/null || true
        # Already shown: the EXIT trap need not print it again.
        : >"$tmp/.log_shown"
        _sipas_die "cluster in $tmp failed to start"
        return 1
    fi

    SIPAS_CLUSTER_PORTS[${#SIPAS_CLUSTER_PORTS[@]}-1]=$port
    SIPAS_LAST_PORT=$port
    # Space-separated copy of the ports for child processes (arrays cannot be exported).
    SIPAS_PORTS="${SIPAS_CLUSTER_PORTS[*]}"
    export SIPAS_LAST_PORT SIPAS_PORTS
    sipas_use_cluster $(( ${#SIPAS_CLUSTER_DIRS[@]} - 1 ))
    _sipas_log "cluster $(( ${#SIPAS_CLUSTER_DIRS[@]} - 1 )) up: PGHOST=$PGHOST PGPORT=$PGPORT (127.0.0.1:$PGPORT)"
}

# Point PGHOST/PGPORT/... (and SIPAS_TMP/SIPAS_PGDATA) at cluster INDEX (0 = first started).
sipas_use_cluster() {
    local i=$1
    if [[ -z ${SIPAS_CLUSTER_DIRS[$i]:-} || -z ${SIPAS_CLUSTER_PORTS[$i]:-} ]]; then
        _sipas_die "no running cluster with index $i"
        return 1
    fi
    SIPAS_TMP=${SIPAS_CLUSTER_DIRS[$i]}
    SIPAS_PGDATA=$SIPAS_TMP/data
    PGHOST=$SIPAS_TMP
    PGPORT=${SIPAS_CLUSTER_PORTS[$i]}
    PGUSER=postgres
    PGDATABASE=postgres
    export SIPAS_TMP SIPAS_PGDATA PGHOST PGPORT PGUSER PGDATABASE
}

sipas_psql() {
    "$SIPAS_PG_BIN/psql" -X -v ON_ERROR_STOP=1 "$@"
}

_sipas_register_trap() {
    if [[ -n $_SIPAS_TRAP_SET ]]; then
        return 0
    fi
    _SIPAS_TRAP_SET=1
    # Only the shell that started the clusters cleans them (not subshells of it).
    _SIPAS_OWNER_PID=$BASHPID
    # NB: this replaces any EXIT trap of the caller; a caller needing its own cleanup
    # registers it with sipas_at_exit.  INT/TERM are turned into exits so the EXIT trap runs.
    trap '_sipas_exit' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# The EXIT trap: a suite that stops before finish (set -e, a failed setup step) still
# reports, with one failure; then the suite's own cleanup, then the clusters.
_sipas_exit() {
    local rc=$? cmd
    [[ ${_SIPAS_OWNER_PID:-} == "$BASHPID" ]] || return 0
    if [[ -n ${SIPAS_SUITE:-} && -z ${_SIPAS_FINISHED:-} ]]; then
        not_ok "script stopped early (exit $rc)"
        finish || true
        rc=1
    fi
    for cmd in "${_SIPAS_AT_EXIT[@]}"; do
        eval "$cmd" || true
    done
    _SIPAS_AT_EXIT=()
    sipas_cleanup "$rc"
    exit "$rc"
}

# Stop every cluster (immediate: nothing to keep) and delete its dir.  When the script is
# failing (exit status, or STATUS if given), print the tail of each server log first
# (SIPAS_LOG_LINES lines, default 100), as it is about to be deleted; SIPAS_KEEP_TMP=1
# keeps the dirs instead of deleting them.  Returns 0 (an EXIT trap's return value does not change the exit status),
# so a script may call "sipas_cleanup 1" itself, e.g. to show logs before a summary line.
sipas_cleanup() {
    local status=$? dir i
    [[ $# -gt 0 ]] && status=$1
    [[ ${_SIPAS_OWNER_PID:-} == "$BASHPID" ]] || return 0
    for i in "${!SIPAS_CLUSTER_DIRS[@]}"; do
        dir=${SIPAS_CLUSTER_DIRS[$i]}
        [[ -d $dir ]] || continue
        if [[ -f $dir/data/postmaster.pid ]]; then
            (cd "$dir" && sipas_as_pg "$SIPAS_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
                >/dev/null 2>&1) || _sipas_log "warning: could not stop cluster in $dir"
        fi
        if [[ $status -ne 0 && -s $dir/postgres.log && ! -e $dir/.log_shown ]]; then
            echo "----- server log of cluster $i ($dir/postgres.log, last ${SIPAS_LOG_LINES:-100} lines) -----" >&2
            tail -n "${SIPAS_LOG_LINES:-100}" "$dir/postgres.log" >&2 || true
            echo "----- end of server log -----" >&2
        fi
        if [[ -n ${SIPAS_KEEP_TMP:-} ]]; then
            _sipas_log "SIPAS_KEEP_TMP set: keeping $dir"
        else
            rm -rf -- "$dir"
        fi
    done
    SIPAS_CLUSTER_DIRS=()
    SIPAS_CLUSTER_PORTS=()
    return 0
}

# ---- checks: the one output format of every suite -------------------------------------
# "ok - DESC" / "not ok - DESC" with details indented by four spaces, then the contract
# line "NAME: N passed, M failed" (tests/README.md).  The checks never fail themselves
# (they return 0), so they are safe under set -e; finish returns 1 when a check failed.

sipas_suite() {
    SIPAS_SUITE=$1
    SIPAS_PASSED=0 SIPAS_FAILED=0 _SIPAS_FINISHED=
    _sipas_register_trap
}

sipas_at_exit() {
    _SIPAS_AT_EXIT+=("$1")
}

ok() {
    SIPAS_PASSED=$(( ${SIPAS_PASSED:-0} + 1 ))
    printf 'ok - %s\n' "$1"
}

# not_ok DESC [DETAIL...]: each DETAIL (may span lines) is printed indented under DESC.
not_ok() {
    local d
    SIPAS_FAILED=$(( ${SIPAS_FAILED:-0} + 1 ))
    printf 'not ok - %s\n' "$1"
    shift
    for d in "$@"; do
        [[ -n $d ]] && printf '%s\n' "$d" | sed 's/^/    /'
    done
    return 0
}

# check DESC EXPECTED ACTUAL
check() {
    if [[ $3 == "$2" ]]; then
        ok "$1"
    else
        not_ok "$1" "expected: $(_sipas_show "$2")" "actual:   $(_sipas_show "$3")"
    fi
}

# A value as shown in a failure: one line as is, several lines indented below.
_sipas_show() {
    if [[ $1 == *$'\n'* ]]; then
        printf '\n%s' "$1" | sed '2,$s/^/  /'
    elif [[ -z $1 ]]; then
        printf '(empty)'
    else
        printf '%s' "$1"
    fi
}

# sipas_q [psql args...]: unaligned, tuples only, on $SIPAS_DB (or PGDATABASE).
sipas_q() {
    sipas_psql -q -At ${SIPAS_DB:+-d "$SIPAS_DB"} "$@"
}

# check_query DESC QUERY [EXPECTED]: the query's output must be EXPECTED (default t).
check_query() {
    local got
    if got=$(sipas_q -c "$2" 2>&1); then
        check "$1" "${3-t}" "$got"
    else
        not_ok "$1" "query failed: $got"
    fi
}

# zero_rows DESC QUERY: the query must return no row (e.g. an EXCEPT both ways); otherwise
# the first 20 rows are shown.
zero_rows() {
    local got
    if got=$(sipas_q -c "$2" 2>&1) && [[ -z $got ]]; then
        ok "$1"
    else
        not_ok "$1" "$(printf '%s\n' "$got" | head -n 20)"
    fi
}

# sipas_relay: count the "ok - ..." / "not ok - ..." lines a helper program (Python, ...)
# prints in this same format on stdin; other lines pass through.  Use it as the last
# command of a pipeline with "shopt -s lastpipe" so the counts reach the suite:
#   shopt -s lastpipe; python3 helper.py | sipas_relay; rc=${PIPESTATUS[0]}
sipas_relay() {
    local line
    while IFS= read -r line; do
        case $line in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) not_ok "${line#not ok - }" ;;
            *) printf '%s\n' "$line" ;;
        esac
    done
}

# finish: the suite's summary line (the contract of tests/run); returns 1 when a check failed.
finish() {
    _SIPAS_FINISHED=1
    echo "${SIPAS_SUITE:-suite}: ${SIPAS_PASSED:-0} passed, ${SIPAS_FAILED:-0} failed"
    [[ ${SIPAS_FAILED:-0} -eq 0 ]]
}

# test/lib.sh: shared set-up of test/demo and test/run (sourced, not run).
#
# Installs what is missing (apt-get), builds and installs the extension, and
# starts a throwaway PostgreSQL cluster in a temporary folder on a free port,
# run by an unprivileged user when the caller is root (initdb refuses root).
# The machine's own clusters are never touched.

set -euo pipefail

CX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
CX_OS_USER=${CX_OS_USER:-cxjourney}

cx_log() { printf '==> %s\n' "$*" >&2; }

cx_as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the build and the demo need (PostgreSQL and its server
# headers, libjson-c, a C compiler); extra ones as arguments.  Only what is
# missing is installed, with one apt-get call that says what it installs.
cx_install_deps() {
	local pkgs=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib
		libjson-c-dev pkg-config make gcc libc6-dev util-linux "$@")
	local missing=() p
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		cx_log "installing Debian packages with apt-get: ${missing[*]}"
		cx_log "(with their dependencies; this can take several minutes on a fresh machine)"
		cx_as_root apt-get update -qq
		cx_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
		cx_log "installed: ${missing[*]}"
	fi
}

# Packages only test/run's checks need, beyond cx_install_deps' own: clang
# with its fuzzer and sanitizer runtimes (test/fuzz), a JDK and Debian's
# PostgreSQL JDBC driver (test/jdbc).  test/demo does not install them.
CX_TEST_DEPS=(clang libclang-rt-dev default-jdk-headless libpostgresql-jdbc-java)

cx_build_install() {
	cx_log "building and installing cx_journey"
	make -C "$CX_ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null
	cx_as_root make -C "$CX_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# A TCP port nobody listens on, from a range away from the usual 5432.
cx_free_port() {
	local port tries
	for tries in $(seq 1 200); do
		port=$((20000 + (RANDOM % 20000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "no free port found" >&2
	return 1
}

# Run a command as the cluster's owner from inside the throwaway folder: the
# caller's directory (a checkout in root's home, say) may be closed to that
# user, and initdb and pg_ctl then warn "could not change directory".
cx_runas_in_tmp() {
	(cd "$CX_TMP" && "${CX_RUNAS[@]}" "$@")
}

cx_stop_cluster() {
	if [ -n "${CX_TMP:-}" ] && [ -d "$CX_TMP" ]; then
		cx_runas_in_tmp "$CX_BINDIR/pg_ctl" -D "$CX_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
		if [ -z "${CX_KEEP:-}" ]; then rm -rf "$CX_TMP"; fi
	fi
}

# Start the throwaway cluster; extra postgresql.conf lines as arguments.
# Exports PGHOST, PGPORT, PGUSER, PGDATABASE for psql and pg_regress.
cx_start_cluster() {
	CX_BINDIR=$("$PG_CONFIG" --bindir)
	CX_TMP=$(mktemp -d /tmp/cx_journey.XXXXXX)
	chmod 755 "$CX_TMP"
	CX_RUNAS=()
	if [ "$(id -u)" = 0 ]; then
		id "$CX_OS_USER" >/dev/null 2>&1 ||
			useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$CX_OS_USER"
		chown "$CX_OS_USER" "$CX_TMP"
		CX_RUNAS=(runuser -u "$CX_OS_USER" --)
	fi
	trap cx_stop_cluster EXIT
	cx_runas_in_tmp "$CX_BINDIR/initdb" -D "$CX_TMP/data" -U postgres --auth=trust \
		--no-sync -E UTF8 --locale=C >"$CX_TMP/initdb.log" 2>&1 ||
		{ cat "$CX_TMP/initdb.log" >&2; return 1; }
	local port attempt
	for attempt in 1 2 3 4 5; do
		port=$(cx_free_port)
		{
			echo "port = $port"
			echo "listen_addresses = '127.0.0.1'"
			echo "unix_socket_directories = '$CX_TMP'"
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
			echo "max_parallel_workers_per_gather = 2"
			echo "log_min_messages = warning"
			echo "timezone = 'UTC'"
			local line
			for line in "$@"; do echo "$line"; done
		} >"$CX_TMP/cluster.conf"
		cx_runas_in_tmp sh -c "cat '$CX_TMP/cluster.conf' >> '$CX_TMP/data/postgresql.conf'"
		if cx_runas_in_tmp "$CX_BINDIR/pg_ctl" -D "$CX_TMP/data" -l "$CX_TMP/server.log" -w -t 60 start >/dev/null; then
			export PGHOST=$CX_TMP PGPORT=$port PGUSER=postgres PGDATABASE=postgres
			cx_log "throwaway cluster on port $port in $CX_TMP"
			return 0
		fi
	done
	cat "$CX_TMP/server.log" >&2
	return 1
}

cx_psql() {
	"$CX_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

# Create a database with the extension and the deterministic sample data.
cx_load_sample() {
	local db=$1 customers=${2:-2000} events=${3:-20}
	cx_psql -d postgres -c "CREATE DATABASE $db"
	cx_psql -d "$db" -c "CREATE EXTENSION cx_journey"
	cx_psql -d "$db" -v customers="$customers" -v events_per_customer="$events" \
		-v days=90 -v seed=0.42 -f "$CX_ROOT/test/sample.sql"
}

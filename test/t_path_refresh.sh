# Storing paths (sourced by test/run): the README's incremental refresh
# (sql/include/path_refresh_setup.sql, path_refresh_run.sql) against loads
# that commit out of order.  sql/path_refresh.sql is the single-session test.

# The README and doc/paths.md show exactly the SQL the tests run: every sql
# block of the README's "Storing paths" section and of doc/paths.md is in
# sql/path_refresh.sql or its include files.
check_refresh_readme_sql() {
	local tested block missing=0
	tested=$(cat "$CX_ROOT"/sql/path_refresh.sql "$CX_ROOT"/sql/include/path_refresh_*.sql; echo .)  # (the dot keeps the last newline)
	local blocks=0
	while IFS= read -r -d $'\036' block; do
		blocks=$((blocks + 1))
		if [[ "$tested" != *"$block"* ]]; then
			printf 'README block not run by the tests:\n%s\n' "$block"
			missing=1
		fi
	done < <(awk 'FNR == 1 { on = (FILENAME ~ /paths\.md$/) }
		/^## / && FILENAME ~ /README/ { on = ($0 == "## Storing paths") }
		on && /^```/ { if (inb) { printf "%s\036", b; b = "" } inb = !inb; next }
		on && inb { b = b $0 "\n" }' "$CX_ROOT/README.md" "$CX_ROOT/doc/paths.md")
	echo "$blocks sql blocks in README \"Storing paths\" and doc/paths.md"
	[[ "$blocks" -ge 5 && "$missing" -eq 0 ]]
}
cx_check "path_refresh/documented-sql-is-tested" check_refresh_readme_sql

cx_refresh_db() {
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	cx_psql -d "$1" -c "CREATE EXTENSION cx_journey"
	cx_psql -d "$1" -f "$CX_ROOT/test/concurrency/refresh_setup.sql" \
		-f "$CX_ROOT/sql/include/path_refresh_setup.sql"
}

# Both refreshes: the README's, then the id-watermark one it must beat.
cx_refresh_both() {
	cx_psql -d "$1" -f "$CX_ROOT/sql/include/path_refresh_run.sql" \
		-f "$CX_ROOT/test/concurrency/refresh_by_id.sql"
}

# A deterministic interleaving: session A inserts (early transaction id, low
# serial id) and stays open; session B inserts later rows and commits; a
# refresh runs; A commits; two more refreshes run.  A's row must be folded
# in exactly once by the README's refresh, and the id watermark, which had
# already moved past A's id, must miss it.
check_refresh_interleaving() {
	local db=cx_refresh_interleave fifo="$CX_TMP/refresh_a.fifo" apid i got
	cx_refresh_db "$db" >/dev/null
	cx_psql -d "$db" -c "INSERT INTO events (customer_id, ts, kind) VALUES (1, '2026-03-01 08:00', 'visit'), (2, '2026-03-01 08:00', 'visit')"
	cx_refresh_both "$db" >/dev/null
	rm -f "$fifo"
	mkfifo "$fifo"
	"$CX_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" <"$fifo" >"$CX_TMP/refresh_a.out" 2>&1 &
	apid=$!
	exec 7>"$fifo"
	echo "BEGIN; INSERT INTO events (customer_id, ts, kind) VALUES (1, '2026-03-01 09:00', 'early'); SELECT pg_advisory_xact_lock(4242);" >&7
	# wait until A holds its lock, that is, has inserted and is still open
	for i in $(seq 1 300); do
		got=$(cx_psql -d "$db" -At -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted")
		[ "$got" = 1 ] && break
		sleep 0.1
	done
	[ "$got" = 1 ] || { echo "session A did not start"; cat "$CX_TMP/refresh_a.out"; return 1; }
	cx_psql -d "$db" -c "INSERT INTO events (customer_id, ts, kind) VALUES (1, '2026-03-01 10:00', 'later'), (3, '2026-03-01 10:00', 'later')"
	cx_refresh_both "$db" >/dev/null
	# A is open: neither table has its row; both have B's
	got=$(cx_psql -d "$db" -At -c "SELECT (SELECT p::text FROM customer_paths WHERE customer_id = 1), (SELECT p::text FROM customer_paths_by_id WHERE customer_id = 1)")
	echo "while A is open: $got"
	[ "$got" = "visit@2026-03-01 08:00:00+00 -> later@2026-03-01 10:00:00+00|visit@2026-03-01 08:00:00+00 -> later@2026-03-01 10:00:00+00" ]
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$apid" || { cat "$CX_TMP/refresh_a.out"; return 1; }
	# A's row has the earlier transaction id and serial id, and was committed last
	got=$(cx_psql -d "$db" -At -c "SELECT a.loaded_by < b.loaded_by AND a.id < b.id FROM events a, events b WHERE a.kind = 'early' AND b.kind = 'later' AND b.customer_id = 1")
	[ "$got" = t ] || { echo "A's ids are not the lower ones: $got"; return 1; }
	cx_refresh_both "$db" >/dev/null
	cx_refresh_both "$db" >/dev/null
	got=$(cx_psql -d "$db" -At -F ' ' -c "SELECT p::text FROM customer_paths WHERE customer_id = 1")
	echo "after A's commit and two refreshes: $got"
	[ "$got" = "visit@2026-03-01 08:00:00+00 -> early@2026-03-01 09:00:00+00 -> later@2026-03-01 10:00:00+00" ]
	got=$(cx_psql -d "$db" -At -F ' ' -c "SELECT * FROM refresh_mismatches('customer_paths')")
	echo "README refresh against a rebuild: customers mismatches = $got"
	[ "$got" = "3 0" ]
	got=$(cx_psql -d "$db" -At -F ' ' -c "SELECT * FROM refresh_mismatches('customer_paths_by_id')")
	echo "id watermark against a rebuild: customers mismatches = $got (it skipped A's row)"
	[ "$got" = "3 1" ]
	cx_psql -d postgres -c "DROP DATABASE $db"
}
cx_check "path_refresh/interleaving-late-commit-folded-once" check_refresh_interleaving

# pgbench, 6 clients for ${CX_REFRESH_SECONDS:-15} s: short loads, loads held
# open across refreshes, and the README's refresh (each followed by the id
# watermark's, and a log of its snapshot).  Then one last refresh, and the
# table must equal a full rebuild.  The check also requires that refreshes
# ran and that loads committed after a refresh that saw them open.
check_refresh_concurrent_loads() {
	local db=cx_refresh_load dir="$CX_ROOT/test/concurrency" script="$CX_TMP/refresh_bench.sql" out status got
	cx_refresh_db "$db" >/dev/null
	cat "$CX_ROOT/sql/include/path_refresh_run.sql" "$dir/refresh_log.sql" "$dir/refresh_by_id.sql" >"$script"
	set +e
	out=$("$CX_BINDIR/pgbench" -n -c 6 -j 2 -T "${CX_REFRESH_SECONDS:-15}" \
		-f "$dir/refresh_load.sql@6" -f "$dir/refresh_load_open.sql@3" -f "$script@2" "$db" 2>&1)
	status=$?
	set -e
	printf '%s\n' "$out" | grep -E "transactions actually processed|failed|aborted|ERROR|^SQL script" | head -20
	if [ "$status" -ne 0 ] || grep -qE "aborted|ERROR" <<<"$out"; then return 1; fi
	cx_refresh_both "$db" >/dev/null
	got=$(cx_psql -d "$db" -At -F ' ' -c "
		SELECT (SELECT count(*) FROM refresh_log),
			   (SELECT count(DISTINCT loaded_by) FROM events
				WHERE loaded_by IN (SELECT pg_snapshot_xip(snap) FROM refresh_log)),
			   (SELECT count(*) FROM events)")
	echo "refreshes, loads open during a refresh and committed after it, events: $got"
	read -r refreshes straddling events <<<"$got"
	[[ "$refreshes" -ge 5 && "$straddling" -ge 1 && "$events" -ge 100 ]]
	got=$(cx_psql -d "$db" -At -F ' ' -c "SELECT * FROM refresh_mismatches('customer_paths')")
	echo "README refresh against a rebuild: customers mismatches = $got"
	echo "id watermark against a rebuild: customers mismatches = $(cx_psql -d "$db" -At -F ' ' -c "SELECT * FROM refresh_mismatches('customer_paths_by_id')") (for contrast, not checked)"
	read -r customers mismatches <<<"$got"
	[[ "$customers" -ge 100 && "$mismatches" -eq 0 ]]
	cx_psql -d postgres -c "DROP DATABASE $db"
}
cx_check "path_refresh/pgbench-loads-during-refreshes" check_refresh_concurrent_loads

# Concurrency (sourced by test/run): pgbench, 8 clients on loopback for
# ${CX_PGBENCH_SECONDS:-30} s, mixing funnel, session and path queries (with
# path updates under a GIN index); every transaction checks its answers
# against a single client's, so any difference or error fails the run.
check_pgbench_concurrency() {
	local dir="$CX_ROOT/test/concurrency" out status
	cx_load_sample cx_bench_load >/dev/null || return 1
	cx_psql -d cx_bench_load -f "$dir/setup.sql" >/dev/null || return 1
	set +e
	out=$("$CX_BINDIR/pgbench" -n -c 8 -j 2 -T "${CX_PGBENCH_SECONDS:-30}" \
		-f "$dir/funnel.sql" -f "$dir/session.sql" -f "$dir/path.sql" cx_bench_load 2>&1)
	status=$?
	set -e
	printf '%s\n' "$out" | grep -E "transactions actually processed|failed|aborted|ERROR|^tps" | head -20
	cx_psql -d postgres -c "DROP DATABASE cx_bench_load" >/dev/null
	[ "$status" -eq 0 ] && ! grep -qE "aborted|ERROR" <<<"$out" &&
		grep -qE "number of transactions actually processed: [1-9]" <<<"$out"
}
cx_check "concurrency/pgbench-8-clients-same-answers" check_pgbench_concurrency

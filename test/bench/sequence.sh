# Sequence patterns (issue 16), sourced by test/bench/run (bash test/bench/run
# 250000 20 sequence): one customer with 1,000,000 events against 500,000
# (adversarial patterns: the time must grow at most 2.5x); sequence_match
# over every customer against the GROUP BY floor (target 1.3x); the path
# form over stored paths against the path scan floor (target 3x).
export PGOPTIONS="-c max_parallel_workers_per_gather=0"
cx_psql -d bench <<'SQL'
-- one customer: kinds a, b, c (rare), x; one event a second with ties
CREATE TABLE IF NOT EXISTS seq_one AS
	SELECT i AS n, timestamptz '2025-01-01' + (i / 2) * interval '1 second' AS ts,
		   CASE WHEN abs(hashint4(i)) % 97 = 0 THEN 'c'
				ELSE (ARRAY['a', 'b', 'x'])[1 + abs(hashint4(i * 7 + 3)) % 3] END AS kind
	FROM generate_series(1, 1000000) i;
CREATE TABLE IF NOT EXISTS paths AS
	SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id;
-- vacuumed as the paths part's table is: the scan floor then skips per-row
-- visibility checks on all-visible pages, as it does for stored paths in use
ANALYZE seq_one; VACUUM ANALYZE paths;
SQL
for pattern in '(?1).*(?2).*(?t<=60)(?3)' '((?1)|(?2))*(?3)' '(?w<=3600)(?1)(?t<=5)(?2).*(?3)'; do
	half="SELECT sequence_count('$pattern', ts, kind = 'a', kind = 'b', kind = 'c') FROM seq_one WHERE n <= 500000"
	full="SELECT sequence_count('$pattern', ts, kind = 'a', kind = 'b', kind = 'c') FROM seq_one"
	read -r t_half t_full r <<<"$(bench_pair "$half" "$full")"
	echo "sequence_count '$pattern', one customer: 500k events ${t_half} ms, 1M events ${t_full} ms: ratio $r (target <= 2.5)"
done
PATTERN='(?1).*(?2).*(?t<=3600)(?3)'
read -r f1 c1 r1 <<<"$(bench_pair "$FLOOR_SQL" "SELECT count(*) FILTER (WHERE m) FROM (SELECT customer_id, sequence_match('$PATTERN', ts, kind = 'visit', kind = 'add_to_cart', kind = 'purchase') AS m FROM events GROUP BY customer_id) s")"
echo "sequence_match over all customers (conditions): ${c1} ms vs GROUP BY floor ${f1} ms: ratio $r1 (target <= 1.3)"
read -r f0 c0 r0 <<<"$(bench_pair "$FLOOR_SQL" "SELECT count(*) FILTER (WHERE l = 3) FROM (SELECT customer_id, window_funnel(interval '1 hour', ts, kind = 'visit', kind = 'add_to_cart', kind = 'purchase') AS l FROM events GROUP BY customer_id) s")"
echo "  for comparison, window_funnel with the same conditions: ${c0} ms vs GROUP BY floor ${f0} ms: ratio $r0"
read -r f2 c2 r2 <<<"$(bench_pair "$FLOOR_SQL" "SELECT count(*) FILTER (WHERE m) FROM (SELECT customer_id, sequence_match('$PATTERN', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS m FROM events GROUP BY customer_id) s")"
echo "sequence_match over all customers (event form): ${c2} ms vs GROUP BY floor ${f2} ms: ratio $r2 (target <= 1.3)"
read -r f3 c3 r3 <<<"$(bench_pair "SELECT sum(length(p)) FROM paths" "SELECT count(*) FILTER (WHERE sequence_match(p, '$PATTERN', ARRAY['visit', 'add_to_cart', 'purchase'])) FROM paths")"
echo "sequence_match over stored paths: ${c3} ms vs path scan floor ${f3} ms: ratio $r3 (target <= 3)"
# the same under PostgreSQL's default plan settings: both may use the
# cluster's two parallel workers
read -r f3p c3p r3p <<<"$(PGOPTIONS="" bench_pair "SELECT sum(length(p)) FROM paths" "SELECT count(*) FILTER (WHERE sequence_match(p, '$PATTERN', ARRAY['visit', 'add_to_cart', 'purchase'])) FROM paths")"
echo "sequence_match over stored paths, default settings (both may use two parallel workers): ${c3p} ms vs path scan floor ${f3p} ms: ratio $r3p"
same=$(cx_psql -d bench -At -c "
	SELECT count(*) FROM (SELECT customer_id, sequence_match('$PATTERN', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS m
						  FROM events GROUP BY customer_id) a
	JOIN paths USING (customer_id)
	WHERE a.m IS DISTINCT FROM sequence_match(p, '$PATTERN', ARRAY['visit', 'add_to_cart', 'purchase'])")
echo "customers where the aggregate and the path form disagree: $same"
[ "$same" = 0 ] || exit 1
unset PGOPTIONS

# Issue 18: attribution() against a do-nothing set-returning function with
# the same arguments that returns the same rows with a zero credit
# (test/bench/noop_attribution.c), in the same query: one conversion per
# customer (at the customer's last event, revenue 20.00 to 100.00), its
# visits as touches with a channel made up from a hash, a LATERAL call per
# conversion, GROUP BY touch.  Sourced by test/bench/run (bench helpers,
# cluster and events table in place):
#   bash test/bench/run 50000 20 attribution
gcc -O2 -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" -I"$CX_ROOT/src" -I"$CX_ROOT/src/path" \
	-I"$CX_ROOT/src/core" -o "$CX_TMP/bench_noop_attribution.so" "$CX_ROOT/test/bench/noop_attribution.c"
chmod 755 "$CX_TMP/bench_noop_attribution.so"
cx_psql -d bench <<SQL
CREATE FUNCTION bench_noop_attribution(touches milestone_path, converted_at timestamptz,
		value numeric DEFAULT 1, model text DEFAULT 'linear', lookback interval DEFAULT '30 days',
		half_life interval DEFAULT '7 days', direct text DEFAULT NULL)
	RETURNS TABLE (touch text, touch_at timestamptz, credit numeric)
	AS '$CX_TMP/bench_noop_attribution.so' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 5;
CREATE TABLE IF NOT EXISTS bench_touch_paths AS
	SELECT customer_id,
		   milestone_path_agg((ARRAY['ads', 'email', 'seo', 'social', 'direct'])
			   [1 + abs(hashint8(customer_id * 31 + extract(epoch FROM ts)::bigint)) % 5], ts) AS p
	FROM events WHERE kind = 'visit' GROUP BY customer_id;
CREATE TABLE IF NOT EXISTS bench_conversions AS
	SELECT customer_id, max(ts) AS at, (20 + (customer_id % 17) * 5)::numeric(10, 2) AS revenue
	FROM events GROUP BY customer_id;
ANALYZE bench_touch_paths;
ANALYZE bench_conversions;
SQL
attribution_sql() {
	echo "SELECT a.touch, sum(a.credit), count(*) FROM bench_conversions c
		JOIN bench_touch_paths t USING (customer_id), LATERAL $1(t.p, c.at, c.revenue, '$2') a GROUP BY 1"
}
touch_rows=$(cx_psql -d bench -At -c "SELECT count(*) FROM bench_conversions c
	JOIN bench_touch_paths t USING (customer_id), LATERAL attribution(t.p, c.at, c.revenue, 'linear') a")
echo "[attribution] $(cx_psql -d bench -At -c "SELECT count(*) FROM bench_conversions") conversions, $touch_rows eligible touches (30-day lookback)"
# the floor and the candidates must agree on the rows
differ=$(cx_psql -d bench -At -c "SELECT count(*) FROM (
	(SELECT c.customer_id, a.touch, a.touch_at FROM bench_conversions c JOIN bench_touch_paths t USING (customer_id),
		LATERAL attribution(t.p, c.at, c.revenue, 'linear') a
	 EXCEPT ALL
	 SELECT c.customer_id, a.touch, a.touch_at FROM bench_conversions c JOIN bench_touch_paths t USING (customer_id),
		LATERAL bench_noop_attribution(t.p, c.at, c.revenue, 'linear') a)) d")
echo "[attribution] rows of attribution(linear) missing from the floor's: $differ"
for mode in serial parallel; do
	if [ "$mode" = serial ]; then
		export PGOPTIONS="-c max_parallel_workers_per_gather=0"
	else
		export PGOPTIONS=""
	fi
	for model in last_touch linear time_decay; do
		read -r f c r <<<"$(bench_pair "$(attribution_sql bench_noop_attribution "$model")" "$(attribution_sql attribution "$model")")"
		echo "[attribution][$mode] $model: ${c} ms vs floor ${f} ms: ratio $r (target <= 1.5)"
	done
done
unset PGOPTIONS

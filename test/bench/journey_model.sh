# test/bench/journey_model.sh: journey_model's figures (sourced by
# test/bench/run for the journey_model part; uses its cluster and helpers).
#   fit: journey_model_agg(p, 2) over the stored paths vs the path scan floor;
#        and two fits without the direct index: order 4 over the same paths,
#        order 2 over random walks of 100 labels
#   predict: predict_next over 10,000 paths with one stored order-2 model of
#            100 labels read from a table in the same query, per path
#   solve: reach_probability and removal_effects for 10, 100, 1,000 labels
cx_psql -d bench <<'SQL'
CREATE TABLE IF NOT EXISTS paths AS
	SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id;
VACUUM ANALYZE paths;
-- Random walks over L labels "l0".."l<L-1>": each step moves 0 to 9 labels
-- on (so an order-2 context has about 10 successors), 1 to 20 steps a path.
CREATE OR REPLACE FUNCTION bench_walks(customers int, labels int) RETURNS TABLE(customer int, p milestone_path)
LANGUAGE sql AS $$
	SELECT c, milestone_path_agg('l' || ((c * 7 + pos) % labels), timestamptz '2026-01-01' + i * interval '1 minute')
	FROM (SELECT c, i, sum(abs(hashint4(c * 1000 + i)) % 10) OVER (PARTITION BY c ORDER BY i) AS pos
		  FROM generate_series(1, customers) c, generate_series(1, 1 + abs(hashint4(c)) % 20) i) s
	GROUP BY c
$$;
DROP TABLE IF EXISTS bench_jm_models, bench_jm_paths;
CREATE TABLE bench_jm_paths AS SELECT customer, p FROM bench_walks(10000, 100);
CREATE TABLE bench_jm_models AS
	SELECT labels, k, (SELECT journey_model_agg(p, k) FROM bench_walks(20000, labels)) AS m
	FROM (VALUES (10), (100), (1000)) l(labels), (VALUES (1), (2)) o(k);
VACUUM ANALYZE bench_jm_paths;
VACUUM ANALYZE bench_jm_models;
SQL
cx_psql -d bench -At -c "SELECT 'models: ' || string_agg(labels || ' labels k=' || k || ': ' || (SELECT count(*) FROM journey_transitions(m)) || ' transitions, ' || pg_column_size(m) / 1024 || ' kB', '; ' ORDER BY labels, k) FROM bench_jm_models" | sed 's/^/[journey_model] /'

for mode in serial parallel; do
	if [ "$mode" = serial ]; then export PGOPTIONS="-c max_parallel_workers_per_gather=0"; else export PGOPTIONS=""; fi
	read -r f1 fit r1 <<<"$(bench_pair "SELECT sum(length(p)) FROM paths" "SELECT pg_column_size(journey_model_agg(p, 2)) FROM paths")"
	echo "[journey_model] fit order 2 over $(cx_psql -d bench -At -c "SELECT count(*) FROM paths") paths ($mode): ${fit} ms vs path scan floor ${f1} ms: ratio $r1 (target <= 3)"
done
# Fits the direct index does not cover (more than 31 labels at k = 2, more
# than 7 at k = 4): there every step is a hash probe.  Serial.
export PGOPTIONS="-c max_parallel_workers_per_gather=0"
read -r f3 fit4 r3 <<<"$(bench_pair "SELECT sum(length(p)) FROM paths" "SELECT pg_column_size(journey_model_agg(p, 4)) FROM paths")"
echo "[journey_model] fit order 4 over the same paths (serial, no direct index): ${fit4} ms vs path scan floor ${f3} ms: ratio $r3"
cx_psql -d bench -c "CREATE TABLE IF NOT EXISTS bench_jm_walks AS SELECT customer, p FROM bench_walks($CUSTOMERS, 100)" -c "VACUUM ANALYZE bench_jm_walks" >/dev/null
read -r f4 fitw r4 <<<"$(bench_pair "SELECT sum(length(p)) FROM bench_jm_walks" "SELECT pg_column_size(journey_model_agg(p, 2)) FROM bench_jm_walks")"
echo "[journey_model] fit order 2 over $CUSTOMERS random walks of 100 labels (serial, no direct index): ${fitw} ms vs path scan floor ${f4} ms: ratio $r4"
unset PGOPTIONS

read -r f2 predict r2 <<<"$(bench_pair "SELECT sum(length(j.p)) FROM bench_jm_models m, bench_jm_paths j WHERE m.labels = 100 AND m.k = 2" \
	"SELECT sum(x.probability) FROM bench_jm_models m, bench_jm_paths j, predict_next(m.m, j.p) x WHERE m.labels = 100 AND m.k = 2")"
echo "[journey_model] predict_next over 10,000 paths, stored order-2 model of 100 labels: ${predict} ms ($(awk -v t="$predict" 'BEGIN { printf "%.1f", t * 1000 / 10000 }') us a path; scan floor ${f2} ms) (target < 50 us)"

for labels in 10 100 1000; do
	for k in 1 2; do
		reach=$(bench_ms "SELECT reach_probability(m, 'l3', 'l0') FROM bench_jm_models WHERE labels = $labels AND k = $k")
		removal=$(bench_ms "SELECT count(*) FROM bench_jm_models, removal_effects(m, 'l0') WHERE labels = $labels AND k = $k")
		echo "[journey_model] $labels labels, k = $k: reach_probability ${reach} ms, removal_effects ${removal} ms"
	done
done

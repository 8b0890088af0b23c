# Benchmark of funnel() options and funnel summaries (issue 19), sourced by
# test/bench/run for `bash test/bench/run N PER funnel_options`.
#  1. funnel with one exclusion and a breakdown against the GROUP BY floor
#     (target: ratio <= 1.4), serial;
#  2. funnel_summary_agg + funnel_summary_table over the customers' results
#     against the same report in SQL with percentile_cont and avg (target:
#     ratio <= 1), serial.
export PGOPTIONS="-c max_parallel_workers_per_gather=0"
FO_STEPS="ARRAY['visit', 'view_product', 'add_to_cart', 'purchase']"
FO_OPTS="'exclude support_ticket between 3 and 4, breakdown first_touch'"
FO_PROP="CASE WHEN kind = 'visit' THEN (ARRAY['ads', 'search', 'email'])[1 + customer_id % 3] END"
read -r f1 fo r1 <<<"$(bench_pair "$FLOOR_SQL" "SELECT count((r).reached) FROM (SELECT customer_id, funnel(interval '1 day', ts, kind, $FO_STEPS, $FO_OPTS, $FO_PROP) AS r FROM events GROUP BY customer_id) s")"
FO_WF_SQL="SELECT sum(l) FROM (SELECT customer_id, window_funnel(interval '1 day', ts, kind, $FO_STEPS) AS l FROM events GROUP BY customer_id) s"
read -r f2 wf r2 <<<"$(bench_pair "$FLOOR_SQL" "$FO_WF_SQL")"
# the same funnel against window_funnel itself: what the options add
read -r w4 fo4 r4 <<<"$(bench_pair "$FO_WF_SQL" "SELECT count((r).reached) FROM (SELECT customer_id, funnel(interval '1 day', ts, kind, $FO_STEPS, $FO_OPTS, $FO_PROP) AS r FROM events GROUP BY customer_id) s")"
read -r w5 fo5 r5 <<<"$(bench_pair "$FO_WF_SQL" "SELECT count((r).reached) FROM (SELECT customer_id, funnel(interval '1 day', ts, kind, $FO_STEPS, 'exclude support_ticket between 3 and 4') AS r FROM events GROUP BY customer_id) s")"
cx_psql -d bench -q -c "DROP TABLE IF EXISTS bench_funnel_results" \
	-c "CREATE TABLE bench_funnel_results AS SELECT customer_id, funnel(interval '1 day', ts, kind, $FO_STEPS) AS r FROM events GROUP BY customer_id" \
	-c "ANALYZE bench_funnel_results" >/dev/null
nres=$(cx_psql -d bench -At -c "SELECT count(*) FROM bench_funnel_results")
SUMMARY_SQL="SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM bench_funnel_results), $FO_STEPS)"
REPORT_SQL="WITH k AS (SELECT generate_series(1, 4) AS k),
 d AS (SELECT k, (r).step_at[k] - (r).step_at[k - 1] AS prev, (r).step_at[k] - (r).step_at[1] AS first
       FROM bench_funnel_results, k WHERE NOT (r).excluded AND (r).reached >= k AND k > 1)
SELECT k.k, (SELECT count(*) FROM bench_funnel_results WHERE NOT (r).excluded AND (r).reached >= k.k),
       avg(prev), percentile_cont(0.5) WITHIN GROUP (ORDER BY prev), percentile_cont(0.9) WITHIN GROUP (ORDER BY prev),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first)
FROM k LEFT JOIN d ON d.k = k.k GROUP BY k.k ORDER BY k.k"
read -r f3 summ r3 <<<"$(bench_pair "$REPORT_SQL" "$SUMMARY_SQL")"
unset PGOPTIONS
echo
echo "== funnel options (serial; $CUSTOMERS customers x $PER_CUSTOMER events) =="
echo "funnel + 1 exclusion + breakdown: floor ${f1} ms, funnel ${fo} ms, ratio ${r1} (target 1.4)"
echo "window_funnel (for comparison):   floor ${f2} ms, window_funnel ${wf} ms, ratio ${r2}"
echo "funnel + exclusion + breakdown against window_funnel: ${w4} ms -> ${fo4} ms, ratio ${r4}"
echo "funnel + exclusion against window_funnel:             ${w5} ms -> ${fo5} ms, ratio ${r5}"
echo "summary of ${nres} results: SQL percentile_cont report ${f3} ms, funnel_summary_agg + funnel_summary_table ${summ} ms, ratio ${r3} (target 1.0)"

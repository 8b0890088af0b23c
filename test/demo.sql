-- test/demo.sql: what the first README command prints.
\pset footer off
\echo
\echo '== The journey stages (journey_stages()) =='
SELECT rank, stage, array_to_string(aliases, ', ') AS also_accepted FROM journey_stages();

\echo '== Where customers are now, and how far they got (stage_timeline) =='
WITH t AS (
	SELECT customer_id, stage_timeline(stage, at) AS timeline
	FROM stage_changes GROUP BY customer_id
)
SELECT current_stage(timeline) AS stage,
	   count(*) AS customers_now,
	   count(*) FILTER (WHERE regressions(timeline) > 0) AS thrown_back_at_least_once
FROM t GROUP BY 1 ORDER BY 1;

\echo '== Three customers in detail =='
WITH t AS (
	SELECT customer_id, stage_timeline(stage, at) AS timeline
	FROM stage_changes WHERE customer_id IN (1, 2, 3) GROUP BY customer_id
)
SELECT customer_id, current_stage(timeline) AS now, furthest_stage(timeline) AS furthest,
	   regressions(timeline) AS regressions,
	   time_in_stage(timeline, 'selling', timestamptz '2026-06-30 00:00:00+00') AS time_selling,
	   timeline
FROM t ORDER BY customer_id;

\echo '== Average days spent in each stage, up to 2026-06-30 =='
WITH t AS (
	SELECT customer_id, stage_timeline(stage, at) AS timeline
	FROM stage_changes GROUP BY customer_id
)
SELECT s.stage,
	   round(avg(extract(epoch FROM time_in_stage(t.timeline, s.stage, timestamptz '2026-06-30 00:00:00+00')) / 86400)
			 FILTER (WHERE entered_at(t.timeline, s.stage) IS NOT NULL), 1) AS avg_days_when_entered,
	   count(*) FILTER (WHERE entered_at(t.timeline, s.stage) IS NOT NULL) AS customers_entered
FROM t CROSS JOIN journey_stages() AS s
GROUP BY s.stage ORDER BY s.stage;

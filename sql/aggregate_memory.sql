-- the per-customer aggregates under memory pressure and re-execution:
-- a hash aggregation that spills to disk, rescans of a subquery, and a
-- window-aggregate use give the same answers as a roomy plan
SET timezone = 'UTC';
CREATE TABLE mev AS
	SELECT i % 3000 AS c,
		   timestamptz '2026-01-01' + (abs(hashint4(i)) % 5000) * interval '1 minute' AS ts,
		   (ARRAY['a', 'b', 'c', 'x'])[1 + abs(hashint4(i * 7)) % 4] AS e
	FROM generate_series(1, 60000) i;
ANALYZE mev;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE roomy AS
	SELECT c, window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c') AS level,
		   time_to_convert(interval '1 hour', 'strict_order', ts, e, ARRAY['a', 'b']) AS ttc,
		   session_stats(ts, interval '30 minutes') AS st,
		   stage_timeline(CASE e WHEN 'a' THEN 'wooing' WHEN 'b' THEN 'selling' ELSE 'bonding' END::journey_stage, ts)::text AS tl
	FROM mev GROUP BY c;
SELECT count(*) AS customers, sum(level) AS levels, count(ttc) AS converted, sum((st).sessions) AS sessions FROM roomy;

-- a hash aggregation with 64 kB of memory spills to disk
SET work_mem = '64kB'; SET hash_mem_multiplier = 1; SET enable_sort = off;
CREATE FUNCTION pg_temp.hashagg_batches(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
	RETURN (plan->0->'Plan'->>'HashAgg Batches')::int;
END $$;
SELECT pg_temp.hashagg_batches($q$
	SELECT c, window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c'),
		   time_to_convert(interval '1 hour', 'strict_order', ts, e, ARRAY['a', 'b']),
		   session_stats(ts, interval '30 minutes')
	FROM mev GROUP BY c $q$) > 1 AS spilled;
SELECT count(*) AS differing_customers FROM roomy r FULL JOIN (
	SELECT c, window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c') AS level,
		   time_to_convert(interval '1 hour', 'strict_order', ts, e, ARRAY['a', 'b']) AS ttc,
		   session_stats(ts, interval '30 minutes') AS st,
		   stage_timeline(CASE e WHEN 'a' THEN 'wooing' WHEN 'b' THEN 'selling' ELSE 'bonding' END::journey_stage, ts)::text AS tl
	FROM mev GROUP BY c) s USING (c)
WHERE (r.level, r.ttc, r.st, r.tl) IS DISTINCT FROM (s.level, s.ttc, s.st, s.tl);
RESET work_mem; RESET hash_mem_multiplier; RESET enable_sort;

-- a correlated subquery re-runs the aggregate for every outer row
SELECT count(*) AS differing_customers FROM roomy r
WHERE r.c < 200 AND (r.level, r.st) IS DISTINCT FROM (
	(SELECT window_funnel(interval '1 hour', m.ts, m.e = 'a', m.e = 'b', m.e = 'c') FROM mev m WHERE m.c = r.c),
	(SELECT session_stats(m.ts, interval '30 minutes') FROM mev m WHERE m.c = r.c));

-- as window aggregates over a whole partition: the final value is the group's
SELECT count(*) AS differing_customers FROM roomy r JOIN (
	SELECT DISTINCT c,
		   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c') OVER (PARTITION BY c) AS level,
		   session_stats(ts, interval '30 minutes') OVER (PARTITION BY c) AS st
	FROM mev) w USING (c)
WHERE (r.level, r.st) IS DISTINCT FROM (w.level, w.st);
-- and over a growing frame: the running level never decreases
SELECT bool_and(level >= prev) AS never_decreases FROM (
	SELECT level, lag(level, 1, 0) OVER (PARTITION BY c ORDER BY ts) AS prev FROM (
		SELECT c, ts, window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c')
					  OVER (PARTITION BY c ORDER BY ts ROWS UNBOUNDED PRECEDING) AS level
		FROM mev WHERE c < 100) x) y;
RESET ALL;
DROP TABLE mev, roomy;

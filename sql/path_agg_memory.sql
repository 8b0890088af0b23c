--
-- milestone_path_agg's memory in two plan shapes where a state could
-- outlive its use: a spilling Finalize HashAggregate (deserialized
-- partial states must not stay in the aggregate context) and grouping sets
-- mixing sorted and hashed sets (one call site working in several
-- aggregate contexts at once must not rebuild its labels and arena per
-- group).  Answers are checked against the serial plan's bytes.
--
SET TimeZone = 'UTC';
-- the aggregate nodes of a query's plan, and their largest Peak Memory Usage (kB)
CREATE FUNCTION agg_plan(query text, OUT nodes text, OUT peak_kb bigint) LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	WITH RECURSIVE tree(n, depth) AS (
		SELECT plan -> 0 -> 'Plan', 0
		UNION ALL
		SELECT c, depth + 1 FROM tree, json_array_elements(tree.n -> 'Plans') c)
	SELECT string_agg(concat_ws(' ', n ->> 'Partial Mode', n ->> 'Strategy'), ' > ' ORDER BY depth)
			FILTER (WHERE n ->> 'Node Type' = 'Aggregate'),
		max((n ->> 'Peak Memory Usage')::bigint)
	INTO nodes, peak_kb FROM tree;
END $$;

-- 1. Finalize HashAggregate over partial states, spilling: stale statistics
-- (20 groups) make the planner take a parallel plan with a partial step
CREATE TABLE pam (g int, label text, at timestamptz) WITH (autovacuum_enabled = off);
INSERT INTO pam SELECT g % 20, 'a', '2024-01-01' FROM generate_series(1, 600000) g;
ANALYZE pam;
TRUNCATE pam;
INSERT INTO pam SELECT g % 100000, (ARRAY['a', 'b', 'c'])[1 + g % 3],
	timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, 600000) g;
CREATE TABLE pam_serial AS SELECT g, milestone_path_agg(label, at) AS p FROM pam GROUP BY g;
SET work_mem = '64kB';
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_sort = off;
-- the plan, and its memory: avg(numeric), whose deserialize uses the per-row
-- context, peaks at about 0.2 MB here, as this does (187 kB); before the fix: 17 MB
SELECT nodes, peak_kb < 2048 AS within_2_mb
FROM agg_plan('SELECT g, milestone_path_agg(label, at) FROM pam GROUP BY g');
SELECT count(*) AS groups, count(*) FILTER (WHERE s.p IS DISTINCT FROM t.p) AS differ
FROM (SELECT g, milestone_path_agg(label, at) AS p FROM pam GROUP BY g) t
FULL JOIN pam_serial s USING (g);
RESET work_mem;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_sort;

-- 2. Grouping sets: a sorted set and a hashed set in one MixedAggregate.
-- 100,000 hash groups of 2 rows: count(*) alone peaks at about 14 MB; one
-- label dictionary and arena per context keep the aggregate near 20 MB (20,497 kB)
-- (before the fix: 186 MB, a new dictionary and arena for nearly every group)
SET max_parallel_workers_per_gather = 0;
SET work_mem = '1GB';
SELECT nodes, peak_kb < 40 * 1024 AS within_40_mb
FROM agg_plan($q$SELECT g, c, milestone_path_agg('x', timestamptz '2024-01-01')
	FROM (SELECT g, g % 100000 AS c FROM generate_series(1, 200000) g ORDER BY g) s
	GROUP BY GROUPING SETS ((g), (c))$q$);
-- the hashed set's paths: each c has the two rows g = c and g = c + 100000
SELECT count(*) AS hashed_groups,
	count(*) FILTER (WHERE p <> 'x@2024-01-01 00:00:00+00 -> x@2024-01-01 00:00:00+00') AS differ
FROM (SELECT c, milestone_path_agg('x', timestamptz '2024-01-01') AS p
	FROM (SELECT g, g % 100000 AS c FROM generate_series(1, 200000) g ORDER BY g) s
	GROUP BY GROUPING SETS ((g), (c))) t
WHERE c IS NOT NULL;
RESET work_mem;
RESET max_parallel_workers_per_gather;
DROP TABLE pam, pam_serial;
DROP FUNCTION agg_plan(text);

-- funnel_counts, retention, retention_counts, funnel_table, funnel_json
CREATE TABLE levels (customer int, level int);
INSERT INTO levels VALUES (1, 0), (2, 1), (3, 1), (4, 2), (5, 3), (6, 3), (7, 3), (8, NULL);
-- element k = customers whose level is at least k (cumulative); NULL skipped
SELECT funnel_counts(level, 3) FROM levels;
SELECT funnel_counts(level, 5) FROM levels;
SELECT funnel_counts(level, 3) IS NULL AS no_rows FROM levels WHERE false;
-- bad levels and step counts
SELECT funnel_counts(level, 2) FROM levels;
SELECT funnel_counts(-1, 3);
SELECT funnel_counts(1, 0);
SELECT funnel_counts(1, NULL);
-- the same in a parallel plan, with the combine function
CREATE TABLE many_levels AS SELECT i AS customer, i % 5 AS level FROM generate_series(1, 100000) i;
ANALYZE many_levels;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_counts(level, 4) FROM many_levels;
SELECT funnel_counts(level, 4) FROM many_levels;
RESET ALL;

-- the report: % of the first step and of the previous step, 2 decimals
SELECT * FROM funnel_table('{1000,600,150,45}', '{visit,signup,cart,purchase}');
SELECT * FROM funnel_table('{3,2,1}');
SELECT * FROM funnel_table('{0,0}', NULL);
SELECT * FROM funnel_table('{}');
SELECT count(*) AS no_rows FROM funnel_table(NULL);
SELECT * FROM funnel_table((SELECT funnel_counts(level, 3) FROM levels), '{visit,cart,purchase}');
-- labels that do not match, counts that are not cumulative, NULLs
SELECT * FROM funnel_table('{3,2,1}', '{a,b}');
SELECT * FROM funnel_table('{3,5,1}');
SELECT * FROM funnel_table('{3,NULL,1}');
SELECT * FROM funnel_table('{{3,2},{1,0}}');
-- JSON, built with libjson-c
SELECT funnel_json('{1000,600,150,45}', '{visit,signup,cart,purchase}');
SELECT funnel_json('{3,0}', '{"quote \" and slash /", "é ü"}');
SELECT funnel_json('{0}');
SELECT funnel_json(NULL) IS NULL AS null_in_null_out;
-- the JSON parses and agrees with the table
SELECT j->>'label' AS label, (j->>'customers')::bigint AS customers, (j->>'pct_of_previous')::numeric AS pct
FROM json_array_elements(funnel_json('{1000,600,150,45}', '{visit,signup,cart,purchase}')) AS j;

-- retention: element 1 = cond1 seen; element i = cond1 and condi both seen
CREATE TABLE visits (customer int, day int);
INSERT INTO visits VALUES (1, 0), (1, 1), (1, 7), (2, 1), (2, 7), (3, 0), (3, 30), (4, 0), (4, NULL);
SELECT customer, retention(day = 0, day = 1, day = 7, day = 30) AS r
FROM visits GROUP BY customer ORDER BY customer;
SELECT retention_counts(r) FROM (
	SELECT retention(day = 0, day = 1, day = 7, day = 30) AS r FROM visits GROUP BY customer
) x;
SELECT retention_counts(r) FROM (VALUES ('{t,f}'::bool[]), ('{t,NULL}'), (NULL)) v(r);
SELECT retention_counts(r) FROM (VALUES ('{t,f}'::bool[]), ('{t,t,t}')) v(r);
SELECT retention(day) FROM visits;
SELECT retention(VARIADIC ARRAY[day = 0, day = 1]) FROM visits;
SELECT retention(day = 0) FROM visits WHERE false;
-- retention in a parallel plan: the combine function ORs partial states
CREATE TABLE many_visits AS SELECT i % 1000 AS customer, i % 40 AS day FROM generate_series(1, 200000) i;
ANALYZE many_visits;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT retention(day = 0, day = 1, day = 39) FROM many_visits;
SELECT retention(day = 0, day = 1, day = 39) FROM many_visits;
SELECT retention(day = 0, day = 1, day = 41) FROM many_visits;
RESET ALL;
DROP TABLE levels, many_levels, visits, many_visits;

-- The funnel functions over a stored path against their aggregates over the
-- raw rows: for thousands of random customers with many ties, every
-- combination of the six mode words (2^5 subsets of strict_order,
-- strict_deduplication, strict_increase, first_entry and allow_reentry, each
-- with and without strict_once), and funnels of 1, 8, 9 and 64 steps (some
-- naming one event at several steps), the aggregate's event form over the
-- rows = the function over milestone_path_agg(e, ts) of the same rows, for
-- window_funnel, window_funnel_times, time_to_convert and retention.  The
-- rows are all within what a path holds (labels of 1 to 255 bytes, finite
-- times; sql/path_funnel.sql tests the differences outside it).
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.4242);

-- Customers of two kinds, on three dates (2026, and years 500 and 3500,
-- outside the years the one pass of the default mode takes):
--   1-2000 (kind A): 2 to 13 rows of a .. i, or x (no step), within a
--     few minutes, in whole minutes: many ties; the letters mostly walk
--     c a e b g d i f h (not in byte order, as a path orders an instant's
--     steps), with repeats and random letters between;
--   2001-2200 (kind B): 30 to 89 rows walking s1 .. s64, in time order,
--     half a minute apart or tied, sometimes repeating a step, stepping
--     back or skipping one, with a few x.
CREATE TABLE pfr (c int, ts timestamptz, e text);
INSERT INTO pfr
SELECT c, base + floor(k * 0.6 + random()) * interval '1 minute',
	   CASE WHEN random() < 0.7 THEN (ARRAY['c', 'a', 'e', 'b', 'g', 'd', 'i', 'f', 'h'])[1 + j % 9]
			ELSE (ARRAY['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'x'])[1 + floor(random() * 10)::int] END
FROM (SELECT c, k, base, sum(inc) OVER (PARTITION BY c ORDER BY k) - inc AS j
	  FROM (SELECT c, k, base, (ARRAY[0, 1, 1, 1, 2])[1 + floor(random() * 5)::int] AS inc
			FROM (SELECT c, (ARRAY[timestamptz '2026-03-01', '0500-06-01', '3500-01-01'])[1 + c % 3] AS base,
						 2 + floor(random() * 12)::int AS n
				  FROM generate_series(1, 2000) c) cu,
				 LATERAL generate_series(1, n) k) r) w;
INSERT INTO pfr
SELECT c, base + floor(k * 0.7) * interval '30 seconds',
	   CASE WHEN random() < 0.05 THEN 'x' ELSE 's' || greatest(1, least(64, j)) END
FROM (SELECT c, k, base, sum(inc) OVER (PARTITION BY c ORDER BY k) AS j
	  FROM (SELECT c, k, base,
				   CASE WHEN k = 1 THEN 1 ELSE (ARRAY[1, 0, 2, -1])[width_bucket(random(), ARRAY[0, 0.83, 0.93, 0.95])] END AS inc
			FROM (SELECT c, (ARRAY[timestamptz '2026-03-01', '0500-06-01', '3500-01-01'])[1 + c % 3] AS base,
						 30 + floor(random() * 60)::int AS n
				  FROM generate_series(2001, 2200) c) cu,
				 LATERAL generate_series(1, n) k) r) w;
CREATE INDEX ON pfr (c);
ANALYZE pfr;
SELECT count(*) > 25000 AS many_rows, count(DISTINCT c) AS customers,
	   count(*) - count(DISTINCT (c, ts)) > 8000 AS many_ties
FROM pfr;

CREATE TABLE pfr_paths AS SELECT c, milestone_path_agg(e, ts) AS p FROM pfr GROUP BY c;
SELECT count(*) AS paths, count(*) FILTER (WHERE p IS NULL) AS null_paths FROM pfr_paths;

-- 1, 8, 9 and 64 steps, each over the customers whose rows it can match
-- (of kind A, or B); some name one event at two steps (a
-- row of that event matches both, which also keeps the one pass from
-- answering)
CREATE TABLE pfr_steps (id int, steps text[], win interval, lo int, hi int);
INSERT INTO pfr_steps VALUES
	(1, '{c}', '5 minutes', 1, 2000),
	(2, '{c,a,e,b,g,d,i,f}', '8 minutes', 1, 2000),
	(3, '{c,a,c,e,b,g,d,i}', '10 minutes', 1, 2000),
	(4, '{c,a,e,b,g,a,d,i,f}', '0', 1, 2000),
	(5, (SELECT array_agg('s' || k ORDER BY k) FROM generate_series(1, 64) k), '30 minutes', 2001, 2200),
	(6, (SELECT array_agg('s' || CASE WHEN k = 50 THEN 49 ELSE k END ORDER BY k) FROM generate_series(1, 64) k),
	 '25 minutes', 2001, 2200);
SELECT id, cardinality(steps) AS nsteps, win FROM pfr_steps ORDER BY id;

-- A parallel plan gives the serial answers: the workers compute the
-- functions (under the Partial Aggregate), each with its own call-site
-- cache; a sum of hashes of every customer's answers is compared.
SELECT sum(hashtext(concat_ws('/', c,
		   window_funnel(p, interval '10 minutes', 'strict_order', '{c,a,e,b,g,d,i,f}'),
		   window_funnel(p, interval '8 minutes', '{c,a,e,b,g,d,i,f}'),
		   window_funnel_times(p, interval '10 minutes', '{c,a,c,e,b,g,d,i}'),
		   time_to_convert(p, interval '30 minutes', (SELECT steps FROM pfr_steps WHERE id = 5)),
		   retention(p, '{c,a,e,s1}')))) AS serial
FROM pfr_paths \gset
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sum(hashtext(concat_ws('/', c,
		   window_funnel(p, interval '10 minutes', 'strict_order', '{c,a,e,b,g,d,i,f}'),
		   window_funnel(p, interval '8 minutes', '{c,a,e,b,g,d,i,f}'),
		   window_funnel_times(p, interval '10 minutes', '{c,a,c,e,b,g,d,i}'),
		   time_to_convert(p, interval '30 minutes', (SELECT steps FROM pfr_steps WHERE id = 5)),
		   retention(p, '{c,a,e,s1}'))))
FROM pfr_paths;
SELECT sum(hashtext(concat_ws('/', c,
		   window_funnel(p, interval '10 minutes', 'strict_order', '{c,a,e,b,g,d,i,f}'),
		   window_funnel(p, interval '8 minutes', '{c,a,e,b,g,d,i,f}'),
		   window_funnel_times(p, interval '10 minutes', '{c,a,c,e,b,g,d,i}'),
		   time_to_convert(p, interval '30 minutes', (SELECT steps FROM pfr_steps WHERE id = 5)),
		   retention(p, '{c,a,e,s1}')))) = :'serial' AS parallel_same_as_serial
FROM pfr_paths;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

CREATE TABLE pfr_modes AS
	SELECT concat_ws(',', CASE WHEN o THEN 'strict_order' END, CASE WHEN d THEN 'strict_deduplication' END,
					 CASE WHEN i THEN 'strict_increase' END, CASE WHEN f THEN 'first_entry' END,
					 CASE WHEN so THEN 'strict_once' END, CASE WHEN r THEN 'allow_reentry' END) AS mode
	FROM (VALUES (false), (true)) a(o), (VALUES (false), (true)) b(d),
		 (VALUES (false), (true)) x(i), (VALUES (false), (true)) y(f),
		 (VALUES (false), (true)) z(so), (VALUES (false), (true)) w(r);
SELECT count(*) AS mode_lists FROM pfr_modes;

-- Every (steps, mode) pair: each customer's three aggregates against the
-- three functions of its path.  compared counts (customer, steps, mode)
-- triples, so the test cannot pass on no data; the deepest levels and the
-- conversions show that long chains were reached.
CREATE TABLE pfr_summary AS
SELECT s.id, count(*) AS compared, count(DISTINCT x.c) AS customers, count(DISTINCT m.mode) AS modes,
	   count(*) FILTER (WHERE x.agg_level IS DISTINCT FROM x.path_level) AS level_mismatches,
	   count(*) FILTER (WHERE x.agg_times IS DISTINCT FROM x.path_times) AS times_mismatches,
	   count(*) FILTER (WHERE x.agg_ttc IS DISTINCT FROM x.path_ttc) AS ttc_mismatches,
	   max(x.path_level) AS deepest, count(x.path_ttc) AS converted
FROM pfr_steps s CROSS JOIN pfr_modes m
CROSS JOIN LATERAL (
	SELECT coalesce(a.c, f.c) AS c,
		   a.level AS agg_level, f.level AS path_level,
		   a.times AS agg_times, f.times AS path_times,
		   a.ttc AS agg_ttc, f.ttc AS path_ttc
	FROM (SELECT c, window_funnel(s.win, m.mode, ts, e, s.steps) AS level,
				 window_funnel_times(s.win, m.mode, ts, e, s.steps) AS times,
				 time_to_convert(s.win, m.mode, ts, e, s.steps) AS ttc
		  FROM pfr WHERE c BETWEEN s.lo AND s.hi GROUP BY c) a
	FULL JOIN
		 (SELECT c, window_funnel(p, s.win, m.mode, s.steps) AS level,
				 window_funnel_times(p, s.win, m.mode, s.steps) AS times,
				 time_to_convert(p, s.win, m.mode, s.steps) AS ttc
		  FROM pfr_paths WHERE c BETWEEN s.lo AND s.hi) f ON f.c = a.c
) x
GROUP BY s.id;
SELECT * FROM pfr_summary ORDER BY id;
SELECT sum(compared) AS compared, sum(customers) FILTER (WHERE id IN (1, 5)) AS customers,
	   sum(level_mismatches + times_mismatches + ttc_mismatches) AS mismatches
FROM pfr_summary;

-- The forms without a mode: the same as the mode ''
SELECT count(*) AS compared,
	   count(*) FILTER (WHERE x.agg IS DISTINCT FROM x.path) AS mismatches
FROM pfr_steps s
CROSS JOIN LATERAL (
	SELECT (a.level, a.times, a.ttc) AS agg, (f.level, f.times, f.ttc) AS path
	FROM (SELECT c, window_funnel(s.win, ts, e, s.steps) AS level,
				 window_funnel_times(s.win, ts, e, s.steps) AS times,
				 time_to_convert(s.win, ts, e, s.steps) AS ttc
		  FROM pfr WHERE c BETWEEN s.lo AND s.hi GROUP BY c) a
	FULL JOIN
		 (SELECT c, window_funnel(p, s.win, s.steps) AS level,
				 window_funnel_times(p, s.win, s.steps) AS times,
				 time_to_convert(p, s.win, s.steps) AS ttc
		  FROM pfr_paths WHERE c BETWEEN s.lo AND s.hi) f ON f.c = a.c
) x;

-- The comparison can fail: with a window of one minute for the functions
-- and two for the aggregates, hundreds of customers differ.
SELECT count(*) FILTER (WHERE a.level IS DISTINCT FROM f.level) > 100 AS shorter_window_differs
FROM (SELECT c, window_funnel(interval '2 minutes', '', ts, e, '{c,a,e,b,g,d,i,f}') AS level
	  FROM pfr GROUP BY c) a
JOIN (SELECT c, window_funnel(p, interval '1 minute', '', '{c,a,e,b,g,d,i,f}') AS level
	  FROM pfr_paths) f USING (c);

-- retention: the aggregate takes conditions, one per step (at most 63)
CREATE FUNCTION pg_temp.retention_query(steps text[]) RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT c, retention(%s) AS r FROM pfr GROUP BY c',
				  string_agg(format('e = %L', s), ', ' ORDER BY k))
	FROM unnest(steps) WITH ORDINALITY u(s, k)
$$;
CREATE FUNCTION pg_temp.retention_mismatches(steps text[], OUT compared bigint, OUT mismatches bigint,
											 OUT all_true bigint) LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT count(*), count(*) FILTER (WHERE a.r IS DISTINCT FROM retention(f.p, %L)),
						   count(*) FILTER (WHERE true = ALL (a.r))
					FROM (%s) a FULL JOIN pfr_paths f USING (c)', steps, pg_temp.retention_query(steps))
	INTO compared, mismatches, all_true;
END $$;
SELECT id, r.*
FROM pfr_steps s, LATERAL pg_temp.retention_mismatches(s.steps[1:63]) r
UNION ALL
SELECT 0, r.* FROM pg_temp.retention_mismatches('{a,c,x,a,zz}') r
ORDER BY id;

DROP TABLE pfr, pfr_paths, pfr_steps, pfr_modes, pfr_summary;

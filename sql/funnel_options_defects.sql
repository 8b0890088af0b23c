-- funnel options: one hand-checked case per defect fixed after review (issue 19)
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
-- 1. funnel_histogram: bin widths near the int64 limit.  Offsets 0 and
-- 9223372036854775807 in 1000 bins: the width rounds up to 9223372037 s, and
-- 1000 of them end past the interval range: 22008, not a negative bin.
\set VERBOSITY sqlstate
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,2;2=0,9223372036854775807', 1, 2, 1000);
-- one customer near the limit: the flat 60 s bin would end past it
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,1;2=9223372036854775000', 1, 2, 3);
-- the same two offsets in one bin: its width, 9223372037 whole seconds, is
-- past the range itself (before: clamped to 2^63 - 1 us, not whole seconds)
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,2;2=0,9223372036854775807', 1, 2, 1);
\set VERBOSITY default
-- 0 and 100,000,000 days in 3 bins: 8.64e18 us / 3 = 2.88e18 us = 33333333 days 8 h each
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,2;2=0,8640000000000000000', 1, 2, 3);
-- 2. options varying between groups, rows of the groups interleaved (hashed):
-- each group keeps its own options.  Rows a@0 r@1 b@2 in both groups: with no
-- option group 1 reaches 2; with exclude r between 1 and 2 group 2 is excluded.
-- (Memory: test/t_memory.sh, memory/funnel-options-varying-text-bounded.)
SET enable_sort = off;
SELECT c, funnel(interval '1 hour', timestamptz '2026-01-01' + m * interval '1 minute', e, ARRAY['a', 'b'],
		CASE WHEN c % 2 = 0 THEN 'exclude r between 1 and 2' ELSE '' END)
FROM (VALUES (1, 0, 'a'), (2, 0, 'a'), (1, 1, 'r'), (2, 1, 'r'), (1, 2, 'b'), (2, 2, 'b'), (3, 5, 'a'), (3, 6, 'b')) v(c, m, e)
GROUP BY c ORDER BY c;
RESET enable_sort;
-- 3. any_order with breakdown step N: the value of the row filling step N
-- (step_at is in time order, so step_at[N] is not that row).
CREATE TEMP TABLE ao (c int, m int, e text, p text);
INSERT INTO ao VALUES (1, 0, 'b', 'B'), (1, 1, 'a', 'A'),     -- b then a: both steps
	(2, 0, 'b', 'B2'),                                       -- only step 2 filled
	(3, 0, 'c', 'C'), (3, 1, 'a', 'A'), (3, 2, 'b', 'B');    -- c, a, b for steps a, b, c
-- customer 1: step 1 'A', step 2 'B'; customer 2: step 1 NULL (not filled), step 2 'B2'
SELECT c, n, (funnel(interval '1 hour', timestamptz '2026-01-01' + m * interval '1 minute', e,
		ARRAY['a', 'b'], 'any_order, breakdown step ' || n, p)).*
FROM ao, generate_series(1, 2) n WHERE c < 3 GROUP BY c, n ORDER BY c, n;
-- customer 3 over steps a, b, c: 'A', 'B', 'C'
SELECT n, (funnel(interval '1 hour', timestamptz '2026-01-01' + m * interval '1 minute', e,
		ARRAY['a', 'b', 'c'], 'any_order, breakdown step ' || n, p)).breakdown
FROM ao, generate_series(1, 3) n WHERE c = 3 GROUP BY n ORDER BY n;
-- 4. avg_from_previous past avg()'s day sum: 60,000 customers each 36,500 days
-- from step 1 to 2 (2.19e9 days in all, past int32): 36500 days, not negative.
-- Then one of them at 0: 36500 * 59999 / 60000 days = 36499 days 09:24:00.
SELECT step, customers, avg_from_previous, median_from_previous
FROM funnel_summary_table((SELECT funnel_summary_agg(ROW(2, false, ARRAY[t, t + interval '36500 days'], NULL)::funnel_result)
	FROM generate_series(1, 60000) i, LATERAL (SELECT timestamptz '1950-01-01' + i * interval '1 second' AS t) x));
SELECT step, customers, avg_from_previous
FROM funnel_summary_table((SELECT funnel_summary_agg(ROW(2, false, ARRAY[t, t + CASE WHEN i = 1 THEN interval '0' ELSE interval '36500 days' END], NULL)::funnel_result)
	FROM generate_series(1, 60000) i, LATERAL (SELECT timestamptz '1950-01-01' + i * interval '1 second' AS t) x));
-- 5. step offsets past int64: 4713 BC to 294276 AD is 22008 (it wrapped to a
-- negative offset, in a summary whose own text input rejects it)
SELECT funnel_summary_agg(ROW(2, false, ARRAY[timestamptz '4713-01-01 00:00+00 BC', timestamptz '294276-01-01 00:00+00'], NULL)::funnel_result);
-- 6. funnel_summary text input: counts whose sum passes int64 are 22P02 (they
-- were accepted, and funnel_summary_table showed negative customers)
SELECT 'v1;excluded=0;counts=0,9223372036854775807,1'::funnel_summary;
SELECT 'v1;excluded=1;counts=9223372036854775807'::funnel_summary;
-- 100,000,000 customers at level 2 cannot be in a 38-byte text: refused before
-- 800 MB are reserved for their offsets
SELECT 'v1;excluded=0;counts=0,0,100000000;2=1'::funnel_summary;
SELECT 'v1;excluded=0;counts=0,0,2;2=1'::funnel_summary;
-- 2 offsets fit in 3 characters: accepted
SELECT 'v1;excluded=0;counts=0,0,2;2=1,2'::funnel_summary;
-- combining summaries whose counts add up past int64: 54000 (they wrapped)
CREATE AGGREGATE pg_temp.fs_combine_all(funnel_summary) (SFUNC = funnel_summary_combinefn, STYPE = funnel_summary);
SELECT pg_temp.fs_combine_all(s) FROM (VALUES ('v1;excluded=0;counts=0,9223372036854775807'::funnel_summary),
	('v1;excluded=0;counts=0,1')) v(s);
SELECT pg_temp.fs_combine_all(s) FROM (VALUES ('v1;excluded=0;counts=0,9223372036854775806'::funnel_summary),
	('v1;excluded=0;counts=0,1')) v(s);
-- 7. funnel_summary_agg: step_at must match reached at levels 0 and 1 too (22023)
SELECT funnel_summary_agg(ROW(1, false, ARRAY[timestamptz '2026-01-01', '2026-01-02', '2026-01-03'], NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(0, false, ARRAY[timestamptz '2026-01-01'], NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(1, false, NULL, NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(1, false, ARRAY[NULL::timestamptz], NULL)::funnel_result);
-- what funnel() writes at levels 0 and 1 is accepted
SELECT funnel_summary_agg(r) FROM (VALUES (ROW(0, false, '{}', NULL)::funnel_result),
	(ROW(1, false, ARRAY[timestamptz '2026-01-01'], NULL)::funnel_result), (ROW(NULL, true, NULL, NULL)::funnel_result)) v(r);
-- 10. steps that differ within a group are reported as steps, counted as given
-- (not with the excluded events the rows' masks add), before the other options
SELECT funnel(interval '1 hour', timestamptz '2026-01-01' + m * interval '1 minute', e,
	CASE WHEN m = 0 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END, 'exclude r between 1 and 2')
FROM (VALUES (0, 'a'), (1, 'b')) v(m, e);
SELECT funnel(interval '1 hour', timestamptz '2026-01-01' + m * interval '1 minute', e,
	CASE WHEN m = 0 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'b', 'c'] END, 'exclude r between 1 and 2')
FROM (VALUES (0, 'a'), (1, 'b')) v(m, e);
-- 3 (random). any_order with breakdown step N over 400 random customers, steps
-- {a,b,c} and {a,a,b}, each row's property naming its event and minute: for
-- every customer the steps with a value are as many as reached, each value is
-- a row of step N's event, and their minutes sorted are step_at.
SELECT setseed(0.19);
CREATE TEMP TABLE aor AS
SELECT c, (random() * 30)::int AS m, (ARRAY['a', 'b', 'c', 'x'])[1 + (random() * 3.999)::int - 0] AS e
FROM generate_series(1, 400) c, generate_series(1, 6) k;
WITH steps(s) AS (VALUES (ARRAY['a', 'b', 'c']), (ARRAY['a', 'a', 'b'])),
per AS (
	SELECT s, c, n, funnel(interval '10 minutes', timestamptz '2026-01-01' + m * interval '1 minute', e, s,
		'any_order, breakdown step ' || n, e || '@' || m) AS r
	FROM aor, steps, generate_series(1, 3) n GROUP BY s, c, n),
cust AS (
	SELECT s, c, min((r).reached) AS reached, max((r).reached) AS reached2,
		min((r).step_at) AS step_at, max((r).step_at) = min((r).step_at) AS same_at,
		count((r).breakdown) AS valued,
		bool_and((r).breakdown IS NULL OR split_part((r).breakdown, '@', 1) = s[n]) AS events_ok,
		array_agg(timestamptz '2026-01-01' + split_part((r).breakdown, '@', 2)::int * interval '1 minute'
			ORDER BY split_part((r).breakdown, '@', 2)::int) FILTER (WHERE (r).breakdown IS NOT NULL) AS bd_times
	FROM per GROUP BY s, c)
SELECT s, count(*) AS customers, sum(reached) AS steps_reached,
	count(*) FILTER (WHERE reached = reached2 AND same_at AND valued = reached AND events_ok
		AND coalesce(bd_times, '{}') = step_at) AS consistent
FROM cust GROUP BY s ORDER BY s;
-- 4. A steps argument that changes bytes between rows but not labels (a lower
-- bound of 0, or a slice keeping a null bitmap) must not leave the options'
-- step names pointing at the freed previous array: both rows reach their step
-- (2, 00:00 and 00:01), with and without options, in each form.
SELECT funnel(interval '1 hour', ts, e, s) FROM (VALUES
	(timestamptz '2026-01-01 00:00', 'a', '{a,b}'::text[]),
	('2026-01-01 00:01', 'b', '[0:1]={a,b}'::text[])) v(ts, e, s);
SELECT funnel(interval '1 hour', ts, e, s, 'strict_order') FROM (VALUES
	(timestamptz '2026-01-01 00:00', 'a', '{a,b}'::text[]),
	('2026-01-01 00:01', 'b', (array_append(ARRAY['a', 'b'], NULL))[1:2])) v(ts, e, s);
SELECT funnel(interval '1 hour', ts, e, s, 'breakdown step 2', e) FROM (VALUES
	(timestamptz '2026-01-01 00:00', 'a', '{a,b}'::text[]),
	('2026-01-01 00:01', 'b', '[0:1]={a,b}'::text[]),
	('2026-01-01 00:02', 'a', '{a,b}'::text[])) v(ts, e, s);

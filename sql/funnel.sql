-- window_funnel, window_funnel_times, time_to_convert: hand-computed cases
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
-- e: the event; steps are e = 'a', 'b', 'c', 'd'; minutes after 2026-01-01 00:00
CREATE TABLE f (c text, m int, e text);
CREATE VIEW fv AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, e FROM f;
INSERT INTO f VALUES
	-- basic: a b c one minute apart
	('basic', 0, 'a'), ('basic', 1, 'b'), ('basic', 2, 'c'),
	-- boundary: b exactly 10 minutes after a
	('boundary', 0, 'a'), ('boundary', 10, 'b'),
	-- restart: the second a starts the chain that fits the window
	('restart', 0, 'a'), ('restart', 5, 'a'), ('restart', 12, 'b'), ('restart', 13, 'c'),
	-- reverse: inserted last step first
	('reverse', 3, 'd'), ('reverse', 2, 'c'), ('reverse', 1, 'b'), ('reverse', 0, 'a'),
	-- tie: a and b at the same minute
	('tie', 0, 'a'), ('tie', 0, 'b'),
	-- ch52844: a@0 a@1 b@1 (ClickHouse strict_increase answers 1, the truth is 2)
	('ch52844', 0, 'a'), ('ch52844', 1, 'a'), ('ch52844', 1, 'b'),
	-- nulls: a NULL time is skipped, a NULL event matches nothing
	('nulls', 0, 'a'), ('nulls', NULL, 'b'), ('nulls', 1, NULL), ('nulls', 2, 'b'),
	-- never: no step 1
	('never', 0, 'b'), ('never', 1, 'c'),
	-- gap: c without b
	('gap', 0, 'a'), ('gap', 1, 'c'), ('gap', 2, 'd');

-- the furthest step within 10 minutes, and within 1 minute
SELECT c, window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS w10,
       window_funnel(interval '1 minute', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS w1
FROM fv GROUP BY c ORDER BY c;
-- the window is inclusive: 10 minutes reaches b, 9:59 does not
SELECT window_funnel(interval '10 minutes', ts, e = 'a', e = 'b') AS inclusive,
       window_funnel(interval '9 minutes 59 seconds', ts, e = 'a', e = 'b') AS just_short,
       window_funnel(interval '0', ts, e = 'a', e = 'b') AS zero_window
FROM fv WHERE c = 'boundary';
-- a zero window still allows steps at the same instant
SELECT window_funnel(interval '0', ts, e = 'a', e = 'b') FROM fv WHERE c = 'tie';
-- when each step was reached, and the time to convert (all steps reached)
SELECT c, window_funnel_times(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS times,
       time_to_convert(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS ttc
FROM fv WHERE c IN ('basic', 'restart', 'reverse', 'never', 'gap') GROUP BY c ORDER BY c;
-- the earliest finish wins, then the latest start: a@0 a@2 b@3 b@4 -> a@2 .. b@3
SELECT window_funnel_times(interval '1 hour', ts, e = 'a', e = 'b') AS times,
       time_to_convert(interval '1 hour', ts, e = 'a', e = 'b') AS ttc
FROM (VALUES (0, 'a'), (2, 'a'), (3, 'b'), (4, 'b')) v(m, e),
     LATERAL (SELECT timestamptz '2026-01-01' + m * interval '1 minute' AS ts) t;
-- one row fills one step: a row matching steps 1 and 2 alone reaches 1; two such rows reach 2
SELECT window_funnel(interval '1 hour', ts, true, true) AS one_row
FROM (VALUES (timestamptz '2026-01-01')) v(ts);
SELECT window_funnel(interval '1 hour', ts, true, true) AS two_rows
FROM (VALUES (timestamptz '2026-01-01'), (timestamptz '2026-01-01')) v(ts);
-- one row matching steps 2 and 3 after a step-1 row: still one step each
SELECT window_funnel(interval '1 hour', ts, e = 'a', e IN ('b', 'bc'), e IN ('c', 'bc')) AS reaches_2
FROM (VALUES (timestamptz '2026-01-01 00:00', 'a'), ('2026-01-01 00:01', 'bc')) v(ts, e);
-- ties may fill consecutive steps in any order that helps: x{1,3} y{2} z{1} at one instant -> 3
SELECT window_funnel(interval '1 hour', ts, e IN ('x', 'z'), e = 'y', e = 'x') AS tie_matching
FROM (VALUES ('x'), ('y'), ('z')) v(e), LATERAL (SELECT timestamptz '2026-01-01' AS ts) t;
-- an empty group gives 0, time_to_convert NULL, times an empty array
SELECT window_funnel(interval '1 hour', ts, e = 'a') AS level,
       time_to_convert(interval '1 hour', ts, e = 'a') IS NULL AS no_ttc,
       window_funnel_times(interval '1 hour', ts, e = 'a') AS times
FROM fv WHERE false;
-- a single step: 1 when it happens
SELECT c, window_funnel(interval '1 hour', ts, e = 'a') FROM fv WHERE c IN ('basic', 'never') GROUP BY c ORDER BY c;
-- the answer does not depend on the input order
SELECT count(DISTINCT l) AS distinct_answers FROM (
	SELECT window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts) AS l FROM fv WHERE c = 'restart'
	UNION ALL SELECT window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts DESC) FROM fv WHERE c = 'restart'
	UNION ALL SELECT window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c' ORDER BY e DESC) FROM fv WHERE c = 'restart'
) x;

-- 64 steps: one row per step, one minute apart
CREATE TABLE steps64 AS SELECT s, timestamptz '2026-01-01' + s * interval '1 minute' AS ts FROM generate_series(1, 64) s;
SELECT window_funnel(interval '2 hours', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8, s = 9, s = 10, s = 11, s = 12, s = 13, s = 14, s = 15, s = 16, s = 17, s = 18, s = 19, s = 20, s = 21, s = 22, s = 23, s = 24, s = 25, s = 26, s = 27, s = 28, s = 29, s = 30, s = 31, s = 32, s = 33, s = 34, s = 35, s = 36, s = 37, s = 38, s = 39, s = 40, s = 41, s = 42, s = 43, s = 44, s = 45, s = 46, s = 47, s = 48, s = 49, s = 50, s = 51, s = 52, s = 53, s = 54, s = 55, s = 56, s = 57, s = 58, s = 59, s = 60, s = 61, s = 62, s = 63, s = 64) AS all_64,
       window_funnel(interval '30 minutes', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8, s = 9, s = 10, s = 11, s = 12, s = 13, s = 14, s = 15, s = 16, s = 17, s = 18, s = 19, s = 20, s = 21, s = 22, s = 23, s = 24, s = 25, s = 26, s = 27, s = 28, s = 29, s = 30, s = 31, s = 32, s = 33, s = 34, s = 35, s = 36, s = 37, s = 38, s = 39, s = 40, s = 41, s = 42, s = 43, s = 44, s = 45, s = 46, s = 47, s = 48, s = 49, s = 50, s = 51, s = 52, s = 53, s = 54, s = 55, s = 56, s = 57, s = 58, s = 59, s = 60, s = 61, s = 62, s = 63, s = 64) AS first_31,
       time_to_convert(interval '2 hours', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8, s = 9, s = 10, s = 11, s = 12, s = 13, s = 14, s = 15, s = 16, s = 17, s = 18, s = 19, s = 20, s = 21, s = 22, s = 23, s = 24, s = 25, s = 26, s = 27, s = 28, s = 29, s = 30, s = 31, s = 32, s = 33, s = 34, s = 35, s = 36, s = 37, s = 38, s = 39, s = 40, s = 41, s = 42, s = 43, s = 44, s = 45, s = 46, s = 47, s = 48, s = 49, s = 50, s = 51, s = 52, s = 53, s = 54, s = 55, s = 56, s = 57, s = 58, s = 59, s = 60, s = 61, s = 62, s = 63, s = 64) AS ttc
FROM steps64;
-- 65 steps: over the limit
SELECT window_funnel(interval '2 hours', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8, s = 9, s = 10, s = 11, s = 12, s = 13, s = 14, s = 15, s = 16, s = 17, s = 18, s = 19, s = 20, s = 21, s = 22, s = 23, s = 24, s = 25, s = 26, s = 27, s = 28, s = 29, s = 30, s = 31, s = 32, s = 33, s = 34, s = 35, s = 36, s = 37, s = 38, s = 39, s = 40, s = 41, s = 42, s = 43, s = 44, s = 45, s = 46, s = 47, s = 48, s = 49, s = 50, s = 51, s = 52, s = 53, s = 54, s = 55, s = 56, s = 57, s = 58, s = 59, s = 60, s = 61, s = 62, s = 63, s = 64, s = 65) FROM steps64;

-- bad arguments
SELECT window_funnel(interval '1 month', ts, e = 'a') FROM fv;
SELECT window_funnel(interval '-1 minute', ts, e = 'a') FROM fv;
SELECT window_funnel(NULL::interval, ts, e = 'a') FROM fv;
SELECT window_funnel(interval '1 day', ts, 1, 2) FROM fv;
-- an explicit VARIADIC array is refused, with the two forms that work
SELECT window_funnel(interval '1 day', ts, VARIADIC ARRAY[e = 'a', e = 'b']) FROM fv;
SELECT window_funnel(interval '1 day', 'strict_order,bogus', ts, e = 'a') FROM fv;
SELECT window_funnel(interval '1 day', NULL::text, ts, e = 'a') FROM fv;
\set VERBOSITY sqlstate
SELECT window_funnel(interval '1 month', ts, e = 'a') FROM fv;
SELECT window_funnel(interval '2 hours', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8, s = 9, s = 10, s = 11, s = 12, s = 13, s = 14, s = 15, s = 16, s = 17, s = 18, s = 19, s = 20, s = 21, s = 22, s = 23, s = 24, s = 25, s = 26, s = 27, s = 28, s = 29, s = 30, s = 31, s = 32, s = 33, s = 34, s = 35, s = 36, s = 37, s = 38, s = 39, s = 40, s = 41, s = 42, s = 43, s = 44, s = 45, s = 46, s = 47, s = 48, s = 49, s = 50, s = 51, s = 52, s = 53, s = 54, s = 55, s = 56, s = 57, s = 58, s = 59, s = 60, s = 61, s = 62, s = 63, s = 64, s = 65) FROM steps64;
SELECT window_funnel(interval '1 day', 'bogus', ts, e = 'a') FROM fv;
\set VERBOSITY default
-- a window that changes within a group is refused
SELECT window_funnel(m * interval '1 minute', timestamptz '2026-01-01' + m * interval '1 minute', e = 'a', e = 'b') FROM f WHERE c = 'basic';
DROP TABLE steps64;

-- the event form: one event column and the event of each step
SELECT c, window_funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c', 'd']) AS w10,
       window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS bool_form,
       window_funnel_times(interval '10 minutes', ts, e, ARRAY['a', 'b']) AS times,
       time_to_convert(interval '10 minutes', 'strict_order', ts, e, ARRAY['a', 'b']) AS ttc
FROM fv GROUP BY c ORDER BY c;
-- the same event may be several steps; a NULL event matches nothing; matching is byte-wise
SELECT window_funnel(interval '1 hour', ts, e, ARRAY['a', 'a', 'A']) AS twice_a
FROM (VALUES ('2026-01-01 00:00'::timestamptz, 'a'), ('2026-01-01 00:01', NULL), ('2026-01-01 00:02', 'a')) v(ts, e);
-- bad steps arrays
SELECT window_funnel(interval '1 hour', ts, e, NULL::text[]) FROM fv;
SELECT window_funnel(interval '1 hour', ts, e, '{}'::text[]) FROM fv;
SELECT window_funnel(interval '1 hour', ts, e, ARRAY['a', NULL]) FROM fv;
SELECT window_funnel(interval '1 hour', ts, e, array_fill('a'::text, ARRAY[65])) FROM fv;
SELECT window_funnel(interval '1 hour', ts, e, CASE WHEN e = 'a' THEN ARRAY['a', 'b'] ELSE ARRAY['b', 'a'] END)
FROM fv WHERE c = 'basic';

-- The funnel analyses over a stored path: window_funnel, window_funnel_times,
-- time_to_convert and retention of a milestone_path, by hand: the window's
-- inclusive end, ties, each mode, the arguments' errors, NULLs, and each
-- difference from the aggregates outside what a path holds, with both
-- sides shown.  sql/path_funnel_random.sql compares them with the
-- aggregates on random customers.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

\i sql/include/outcome.sql

-- 1. The window, inclusive: c is exactly one hour after a
SELECT window_funnel(p, interval '1 hour', '{a,b,c}') AS one_hour,
	   window_funnel(p, interval '59 minutes', '{a,b,c}') AS under_an_hour,
	   window_funnel(p, interval '0', '{a,b,c}') AS zero,
	   window_funnel_times(p, interval '1 hour', '{a,b,c}') AS times_one_hour,
	   window_funnel_times(p, interval '59 minutes', '{a,b,c}') AS times_under,
	   time_to_convert(p, interval '1 hour', '{a,b,c}') AS ttc_one_hour,
	   time_to_convert(p, interval '59 minutes', '{a,b,c}') AS ttc_under
FROM (SELECT milestone_path 'a@2024-01-01 10:00 -> b@2024-01-01 10:30 -> c@2024-01-01 11:00' AS p) x;
-- a later start is taken when it reaches further: a@10:00 cannot reach c@11:30
-- within the hour, a@10:45 can; the chain's times and duration are that
-- chain's; a step the path lacks stops the funnel there
SELECT window_funnel(p, interval '1 hour', '{a,b,c}') AS level,
	   window_funnel_times(p, interval '1 hour', '{a,b,c}') AS times,
	   time_to_convert(p, interval '1 hour', '{a,b,c}') AS ttc,
	   window_funnel(p, interval '1 day', '{a,z,c}') AS missing_step
FROM (SELECT milestone_path 'a@2024-01-01 10:00 -> b@2024-01-01 10:30 -> a@2024-01-01 10:45 -> b@2024-01-01 11:00 -> c@2024-01-01 11:30' AS p) x;
-- more than a day: time_to_convert justifies hours into days, as the aggregate
SELECT time_to_convert(milestone_path 'a@2024-01-01 10:00 -> b@2024-01-03 12:00', interval '3 days', '{a,b}') AS ttc;

-- 2. Ties: rows at one instant fill consecutive steps in any order, whatever
-- order the path lists them in (milestone_path_agg lists them by label, a
-- literal as written); strict_increase needs a later time for each step;
-- one row fills one step, so a step named twice needs two rows
SELECT window_funnel(p, interval '0', '{a,b,c}') AS any_order,
	   window_funnel(p, interval '0', '{c,b,a}') AS reversed,
	   window_funnel(p, interval '0', 'strict_increase', '{a,b,c}') AS strict_increase,
	   window_funnel_times(p, interval '0', '{c,a,b}') AS times
FROM (SELECT milestone_path 'c@2024-01-01 10:00 -> a@2024-01-01 10:00 -> b@2024-01-01 10:00' AS p) x;
SELECT window_funnel(milestone_path 'a@2024-01-01 10:00', interval '1 hour', '{a,a}') AS one_row,
	   window_funnel(milestone_path 'a@2024-01-01 10:00 -> a@2024-01-01 10:00', interval '1 hour', '{a,a}') AS two_rows,
	   window_funnel(milestone_path 'a@2024-01-01 10:00 -> b@2024-01-01 10:00', interval '1 hour', '{b,a}') AS by_label,
	   window_funnel(milestone_path 'b@2024-01-01 10:00 -> a@2024-01-01 10:00', interval '1 hour', '{a,b}') AS as_written;

-- 3. Each mode, next to the aggregate over the same rows (the rule of each
-- is in doc/reference.md, Funnel modes)
CREATE TABLE pf_rows (c text, ts timestamptz, e text);
INSERT INTO pf_rows
SELECT c, timestamptz '2024-01-01 10:00' + (k - 1) * interval '10 minutes', e
FROM (VALUES ('a d b c', '{a,d,b,c}'::text[]), ('a c b', '{a,c,b}'), ('a b a c', '{a,b,a,c}'),
			 ('a a b b c c', '{a,a,b,b,c,c}'), ('a b b c', '{a,b,b,c}'), ('a b c b d', '{a,b,c,b,d}'),
			 ('a a b', '{a,a,b}')) v(c, labels),
	 LATERAL unnest(labels) WITH ORDINALITY u(e, k);
CREATE TABLE pf_paths AS SELECT c, milestone_path_agg(e, ts) AS p FROM pf_rows GROUP BY c;
CREATE TABLE pf_modes (mode text, steps text[], win interval);
INSERT INTO pf_modes VALUES
	('', '{a,b,c}', '1 hour'),
	('strict_order', '{a,b,c}', '1 hour'),
	('strict_order, allow_reentry', '{a,b,c}', '1 hour'),
	('allow_reentry', '{a,b,c}', '1 hour'),
	('strict_deduplication', '{a,b,c,d}', '1 hour'),
	('strict_once', '{a,b,c}', '1 hour'),
	('first_entry', '{a,b}', '10 minutes'),
	('', '{a,b}', '10 minutes');
SELECT m.mode, m.steps, m.win, pa.c AS path,
	   window_funnel(pa.p, m.win, m.mode, m.steps) AS level,
	   (SELECT window_funnel(m.win, m.mode, r.ts, r.e, m.steps) FROM pf_rows r WHERE r.c = pa.c) AS aggregate,
	   time_to_convert(pa.p, m.win, m.mode, m.steps) AS ttc
FROM pf_modes m, pf_paths pa
ORDER BY m.mode, m.steps, pa.c;
-- strict_increase over ties: a@10:00, b@10:00, b@10:10
SELECT window_funnel(p, interval '1 hour', '{a,b}') AS plain,
	   window_funnel(p, interval '1 hour', 'strict_increase', '{a,b}') AS strict_increase,
	   window_funnel_times(p, interval '1 hour', 'strict_increase', '{a,b}') AS times
FROM (SELECT milestone_path 'a@2024-01-01 10:00 -> b@2024-01-01 10:00 -> b@2024-01-01 10:10' AS p) x;
-- the forms without a mode are the mode ''
SELECT window_funnel(p, interval '1 hour', '{a,b,c}') = window_funnel(p, interval '1 hour', '', '{a,b,c}') AS same_level,
	   window_funnel_times(p, interval '1 hour', '{a,b,c}') = window_funnel_times(p, interval '1 hour', '', '{a,b,c}') AS same_times,
	   time_to_convert(p, interval '1 hour', '{a,b,c}') = time_to_convert(p, interval '1 hour', '', '{a,b,c}') AS same_ttc
FROM pf_paths WHERE c = 'a a b b c c';

-- 4. 64 steps, in a path of 64 labels; 9 steps past the one pass's 8
SELECT window_funnel(p, interval '1 hour', steps) AS level,
	   cardinality(window_funnel_times(p, interval '1 hour', steps)) AS times,
	   time_to_convert(p, interval '1 hour', steps) AS ttc,
	   window_funnel(p, interval '1 hour', steps[1:9]) AS nine_steps,
	   window_funnel(p, interval '1 hour', 'strict_order', steps[1:9] || '{s11}') AS strict_order_ten
FROM (SELECT milestone_path_agg('s' || k, timestamptz '2024-01-01' + k * interval '10 seconds') AS p,
			 array_agg('s' || k ORDER BY k) AS steps
	  FROM generate_series(1, 64) k) x;

-- 5. The arguments may change from row to row (each is checked again)
SELECT w.win, w.mode, w.steps, window_funnel(p, w.win, w.mode, w.steps) AS level
FROM pf_paths, (VALUES (interval '1 hour', '', '{a,b,c}'::text[]), ('10 minutes', '', '{a,b,c}'),
					   ('1 hour', 'strict_order', '{a,b,c}'), ('1 hour', '', '{c}'),
					   ('1 hour', '', '{a,b,c}')) w(win, mode, steps)
WHERE c = 'a d b c';

-- 6. retention: element 1 = steps[1] occurs, element i = steps[1] and
-- steps[i] both occur (the aggregate retention(e = steps[1], ...)); the
-- order and the times play no part, so a pattern works too
SELECT retention(p, '{signup,purchase,churn}') AS r1,
	   retention(p, '{visit,signup}') AS r2,
	   retention(p, '{churn,signup}') AS r3,
	   retention(p, '{signup,signup,visit}') AS r4,
	   retention(milestone_path 'purchase -> visit -> signup', '{signup,purchase,churn}') AS pattern,
	   retention(milestone_path '', '{signup,purchase}') AS empty_path
FROM (SELECT milestone_path 'signup@2024-01-01 -> visit@2024-01-02 -> purchase@2024-01-03' AS p) x;
SELECT pa.c, retention(pa.p, '{a,c,d}') AS path,
	   (SELECT retention(r.e = 'a', r.e = 'c', r.e = 'd') FROM pf_rows r WHERE r.c = pa.c) AS aggregate
FROM pf_paths pa ORDER BY pa.c;
-- 63 steps, the aggregate's limit
SELECT cardinality(retention(milestone_path 'a -> b', array_fill('a'::text, ARRAY[63]))) AS steps_63;

-- 7. NULL: a NULL path gives NULL
SELECT window_funnel(NULL::milestone_path, interval '1 hour', '{a}') AS level,
	   window_funnel(NULL::milestone_path, interval '1 hour', '', '{a}') AS level_mode,
	   window_funnel_times(NULL::milestone_path, interval '1 hour', '{a}') AS times,
	   window_funnel_times(NULL::milestone_path, interval '1 hour', '', '{a}') AS times_mode,
	   time_to_convert(NULL::milestone_path, interval '1 hour', '{a}') AS ttc,
	   time_to_convert(NULL::milestone_path, interval '1 hour', '', '{a}') AS ttc_mode,
	   retention(NULL::milestone_path, '{a}') AS retention;
-- an empty path has no rows: the aggregates' answers over no rows
SELECT window_funnel(milestone_path '', interval '1 hour', '{a}') AS level,
	   window_funnel_times(milestone_path '', interval '1 hour', '{a}') AS times,
	   time_to_convert(milestone_path '', interval '1 hour', '{a}') AS ttc,
	   (SELECT window_funnel(interval '1 hour', ts, e, '{a}') FROM pf_rows WHERE false) AS aggregate_level,
	   (SELECT window_funnel_times(interval '1 hour', ts, e, '{a}') FROM pf_rows WHERE false) AS aggregate_times;

-- 8. Errors, with their messages, then their SQLSTATEs
-- a path without times (a pattern)
SELECT window_funnel(milestone_path 'a -> b', interval '1 hour', '{a,b}');
SELECT time_to_convert(milestone_path 'a -> b', interval '1 hour', '', '{a,b}');
-- the steps
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', NULL);
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', '{}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', '{a,NULL}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', '{{a},{b}}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', array_fill('a'::text, ARRAY[65]));
-- the window and the mode: the aggregates' own errors
SELECT window_funnel(milestone_path 'a@2024-01-01', NULL, '{a}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '-1 hour', '{a}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 month', '{a}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', NULL, '{a}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', 'strict_order,', '{a}');
SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', 'strict', '{a}');
SELECT window_funnel(interval '1 hour', 'strict', ts, e, '{a}') FROM pf_rows;
-- retention's steps
SELECT retention(milestone_path 'a', NULL);
SELECT retention(milestone_path 'a', '{}');
SELECT retention(milestone_path 'a', '{a,NULL}');
SELECT retention(milestone_path 'a', '{{a},{b}}');
SELECT retention(milestone_path 'a', array_fill('a'::text, ARRAY[64]));
-- the arguments are checked before the path is looked at: a NULL path does
-- not hide a bad argument
SELECT window_funnel(NULL::milestone_path, interval '1 hour', NULL);
SELECT retention(NULL::milestone_path, '{}');
SELECT q, pg_temp.outcome(q) AS sqlstate
FROM (VALUES ($$SELECT window_funnel(milestone_path 'a -> b', interval '1 hour', '{a,b}')$$),
			 ($$SELECT window_funnel(milestone_path 'a -> b', interval '1 hour', '', '{a,b}')$$),
			 ($$SELECT window_funnel_times(milestone_path 'a -> b', interval '1 hour', '{a,b}')$$),
			 ($$SELECT window_funnel_times(milestone_path 'a -> b', interval '1 hour', '', '{a,b}')$$),
			 ($$SELECT time_to_convert(milestone_path 'a -> b', interval '1 hour', '{a,b}')$$),
			 ($$SELECT time_to_convert(milestone_path 'a -> b', interval '1 hour', '', '{a,b}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', NULL)$$),
			 ($$SELECT window_funnel_times(milestone_path 'a@2024-01-01', interval '1 hour', '', NULL)$$),
			 ($$SELECT time_to_convert(milestone_path 'a@2024-01-01', interval '1 hour', '{}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', '{a,NULL}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', array_fill('a'::text, ARRAY[65]))$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', array_fill('a'::text, ARRAY[64]))$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', NULL, '{a}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '-1 hour', '{a}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', NULL, '{a}')$$),
			 ($$SELECT window_funnel(milestone_path 'a@2024-01-01', interval '1 hour', 'strict', '{a}')$$),
			 ($$SELECT retention(milestone_path 'a', NULL)$$),
			 ($$SELECT retention(milestone_path 'a', '{}')$$),
			 ($$SELECT retention(milestone_path 'a', '{a,NULL}')$$),
			 ($$SELECT retention(milestone_path 'a', array_fill('a'::text, ARRAY[64]))$$),
			 ($$SELECT retention(milestone_path 'a', array_fill('a'::text, ARRAY[63]))$$),
			 ($$SELECT window_funnel(NULL::milestone_path, interval '1 hour', '{}')$$)) v(q);

-- 9. Differences from the aggregates outside what a path holds (labels of 1
-- to 255 bytes, finite times), each side shown.
-- A row with a NULL label: the path skips it; the aggregate keeps it as a
-- row matching no step, which breaks a strict_order chain.  Without
-- strict_order both give the same.
CREATE TABLE pf_edge (c text, ts timestamptz, e text);
INSERT INTO pf_edge VALUES
	('null label', '2024-01-01 10:00', 'a'), ('null label', '2024-01-01 10:10', NULL), ('null label', '2024-01-01 10:20', 'b'),
	('null time', '2024-01-01 10:00', 'a'), ('null time', NULL, 'x'), ('null time', '2024-01-01 10:20', 'b'),
	('all skipped', NULL, 'a'), ('all skipped', '2024-01-01 10:00', NULL);
SELECT c,
	   window_funnel(interval '1 hour', 'strict_order', ts, e, '{a,b}') AS aggregate_strict_order,
	   window_funnel(milestone_path_agg(e, ts), interval '1 hour', 'strict_order', '{a,b}') AS path_strict_order,
	   window_funnel(interval '1 hour', ts, e, '{a,b}') AS aggregate,
	   window_funnel(milestone_path_agg(e, ts), interval '1 hour', '{a,b}') AS path,
	   milestone_path_agg(e, ts) AS p
FROM pf_edge GROUP BY c ORDER BY c;
-- a customer whose rows were all skipped has a NULL path, so NULL answers;
-- the aggregates answer 0, {} and NULL
SELECT window_funnel(interval '1 hour', ts, e, '{a}') AS aggregate_level,
	   window_funnel(milestone_path_agg(e, ts), interval '1 hour', '{a}') AS path_level,
	   window_funnel_times(interval '1 hour', ts, e, '{a}') AS aggregate_times,
	   window_funnel_times(milestone_path_agg(e, ts), interval '1 hour', '{a}') AS path_times,
	   time_to_convert(interval '1 hour', ts, e, '{a}') AS aggregate_ttc,
	   time_to_convert(milestone_path_agg(e, ts), interval '1 hour', '{a}') AS path_ttc,
	   retention(e = 'a') AS aggregate_retention,
	   retention(milestone_path_agg(e, ts), '{a}') AS path_retention
FROM pf_edge WHERE c = 'all skipped';
-- retention has no time: the aggregate counts a row with a NULL time, the
-- path has skipped it
SELECT retention(e = 'a', e = 'x') AS aggregate,
	   retention(milestone_path_agg(e, ts), '{a,x}') AS path
FROM pf_edge WHERE c = 'null time';
-- A NULL step: the aggregate's NULL condition is false ({t,f}); over a
-- path a NULL step name is refused (22004), as in the funnels' event form
SELECT retention(e = 'a', e = NULL) AS aggregate
FROM (VALUES ('a'), ('b')) v(e);
SELECT pg_temp.outcome($$SELECT retention(milestone_path 'a -> b', '{a,NULL}')$$) AS path;
-- An empty label, a label past 255 bytes, an infinite time: the aggregate
-- takes the row (an empty or long step name matches it), a path cannot
-- hold it (milestone_path_agg refuses it, 22023), and a step name that is
-- empty or past 255 bytes matches nothing in a path
SELECT window_funnel(interval '1 hour', ts, e, ARRAY['a', '']) AS aggregate
FROM (VALUES (timestamptz '2024-01-01 10:00', 'a'), ('2024-01-01 10:10', '')) v(ts, e);
SELECT milestone_path_agg(e, ts)
FROM (VALUES (timestamptz '2024-01-01 10:00', 'a'), ('2024-01-01 10:10', '')) v(ts, e);
SELECT window_funnel(milestone_path 'a@2024-01-01 10:00', interval '1 hour', ARRAY['a', '']) AS path;
SELECT window_funnel(interval '1 hour', ts, e, ARRAY['a', repeat('l', 300)]) AS aggregate
FROM (VALUES (timestamptz '2024-01-01 10:00', 'a'), ('2024-01-01 10:10', repeat('l', 300))) v(ts, e);
SELECT pg_temp.outcome($$SELECT milestone_path_agg(e, ts)
	FROM (VALUES (timestamptz '2024-01-01 10:00', 'a'), ('2024-01-01 10:10', repeat('l', 300))) v(ts, e)$$) AS path_agg;
SELECT window_funnel(milestone_path_agg(e, ts), interval '1 hour', ARRAY['a', repeat('l', 300), 'b']) AS path
FROM (VALUES (timestamptz '2024-01-01 10:00', 'a'), ('2024-01-01 10:10', repeat('l', 255))) v(ts, e);
SELECT window_funnel(interval '1 hour', ts, e, '{a,b}') AS aggregate,
	   window_funnel_times(interval '1 hour', ts, e, '{a,b}') AS aggregate_times,
	   pg_temp.outcome($$SELECT time_to_convert(interval '1 hour', ts, e, '{a,b}')
		   FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e)$$) AS aggregate_ttc,
	   pg_temp.outcome($$SELECT milestone_path_agg(e, ts)
		   FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e)$$) AS path_agg
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e);

-- 10. Times at the ends of PostgreSQL's range, with the widest window: the
-- same answers as the aggregate; a span wider than any window never joins
-- a chain
SELECT window_funnel(p, interval '106751991 days', '{a,b}') AS level,
	   window_funnel_times(p, interval '106751991 days', 'strict_order', '{a,b}') AS times,
	   time_to_convert(p, interval '106751991 days', '{a,b}') AS ttc,
	   window_funnel(p, interval '106751991 days', '{a,b,c}') AS level_abc,
	   time_to_convert(p, interval '106751991 days', '{b,c}') AS ttc_bc
FROM (SELECT milestone_path 'a@4713-01-01 00:00 BC -> b@1000-01-01 -> c@294276-12-31 23:59:59' AS p) x;
SELECT window_funnel(interval '106751991 days', ts, e, '{a,b}') AS level,
	   window_funnel_times(interval '106751991 days', 'strict_order', ts, e, '{a,b}') AS times,
	   time_to_convert(interval '106751991 days', ts, e, '{a,b}') AS ttc,
	   window_funnel(interval '106751991 days', ts, e, '{a,b,c}') AS level_abc,
	   time_to_convert(interval '106751991 days', ts, e, '{b,c}') AS ttc_bc
FROM (VALUES (timestamptz '4713-01-01 00:00 BC', 'a'), ('1000-01-01', 'b'), ('294276-12-31 23:59:59', 'c')) v(ts, e);

-- 11. Labels that agree in their first bytes or differ only at the end, of
-- every length class the label match reads differently (1-3, 4-7, 8-16 and
-- past 16 bytes): matched byte for byte, as the aggregates match events
CREATE TEMP TABLE pf_similar_rows AS
SELECT timestamptz '2024-01-01 10:00' + (n - 1) * interval '1 minute' AS ts, e
FROM unnest(ARRAY['checkout_started_mobile', 'checkout_started_mobilx', 'checkout_started_desktop',
				  'add_to_cartX', 'add_to_cart', 'ab', 'abc', 'abcd', 'abce', '12345678', '123456789'])
	WITH ORDINALITY u(e, n);
CREATE TEMP TABLE pf_similar AS SELECT milestone_path_agg(e, ts) AS p FROM pf_similar_rows;
-- 3, 0, 2, {t,t,f,t,f,t}, t, f
SELECT window_funnel(p, interval '1 hour', ARRAY['checkout_started_mobilx', 'checkout_started_desktop', 'add_to_cart']) AS level,
	   window_funnel(p, interval '1 hour', ARRAY['checkout_started_mobily', 'checkout_started_desktop']) AS no_first_step,
	   window_funnel(p, interval '1 hour', ARRAY['add_to_cart', 'abcd', 'abcde', 'abce']) AS level_short,
	   retention(p, ARRAY['abc', 'abce', 'abcf', '12345678', '1234567', '123456789']) AS retention,
	   sequence_match(p, '(?1).*(?2)', ARRAY['checkout_started_mobile', 'checkout_started_desktop']) AS mobile_then_desktop,
	   sequence_match(p, '(?1).*(?2)', ARRAY['checkout_started_mobil', 'checkout_started_desktop']) AS prefix_only
FROM pf_similar;
-- the same from the aggregates over the path's rows
SELECT window_funnel(interval '1 hour', ts, e, ARRAY['checkout_started_mobilx', 'checkout_started_desktop', 'add_to_cart']) AS level,
	   window_funnel(interval '1 hour', ts, e, ARRAY['checkout_started_mobily', 'checkout_started_desktop']) AS no_first_step,
	   window_funnel(interval '1 hour', ts, e, ARRAY['add_to_cart', 'abcd', 'abcde', 'abce']) AS level_short,
	   retention(e = 'abc', e = 'abce', e = 'abcf', e = '12345678', e = '1234567', e = '123456789') AS retention,
	   sequence_match('(?1).*(?2)', ts, e, ARRAY['checkout_started_mobile', 'checkout_started_desktop']) AS mobile_then_desktop,
	   sequence_match('(?1).*(?2)', ts, e, ARRAY['checkout_started_mobil', 'checkout_started_desktop']) AS prefix_only
FROM pf_similar_rows;

DROP TABLE pf_rows, pf_paths, pf_modes, pf_edge, pf_similar_rows, pf_similar;

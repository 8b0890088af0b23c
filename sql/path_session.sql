-- session_stats over a stored path, and the growth map (milestone_status,
-- milestone_level): hand-computed answers, the aggregate's rules (ties, the
-- gap exactly equal, caps, NULL caps), the differences outside what a path
-- can hold, and every error with its SQLSTATE.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

-- An error as one line: SQLSTATE, message, detail and hint.
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text; hnt text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	RETURN st || ': ' || msg || coalesce(nullif(' | ' || det, ' | '), '') || coalesce(nullif(' | ' || hnt, ' | '), '');
END $$;

-- 1. session_stats(p, gap [, max_duration, max_events])
-- the rows of session_options, with labels
CREATE TABLE ps (c text, label text, m int);
CREATE VIEW psv AS SELECT c, label, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts FROM ps;
INSERT INTO ps VALUES
	-- long: one row every 20 minutes for 4 hours (13 rows)
	('long', 'visit', 0), ('long', 'cart', 20), ('long', 'visit', 40), ('long', 'buy', 60),
	('long', 'visit', 80), ('long', 'cart', 100), ('long', 'visit', 120), ('long', 'buy', 140),
	('long', 'visit', 160), ('long', 'cart', 180), ('long', 'visit', 200), ('long', 'buy', 220),
	('long', 'visit', 240),
	-- edge: 30 minutes after the first (stays with gap 30), then 31 after that (splits)
	('edge', 'visit', 0), ('edge', 'cart', 30), ('edge', 'buy', 61),
	-- ties: rows at one instant never split, whatever the caps
	('ties', 'b', 0), ('ties', 'a', 0), ('ties', 'b', 40), ('ties', 'a', 40), ('ties', 'c', 41);
CREATE TABLE pp AS SELECT c, milestone_path_agg(label, ts) AS p FROM psv GROUP BY c;
SELECT c, p FROM pp WHERE c <> 'long' ORDER BY c;
-- long: one session of 4 hours, 13 rows; edge: [0, 30] and [61]: 30 and 0
-- minutes, average 15; ties: [0, 0] and [40, 40, 41]: 0 and 1 minute,
-- average 30 s, 5 / 2 rows
SELECT c, (session_stats(p, interval '30 minutes')).* FROM pp ORDER BY c;
-- the gap exactly equal stays: 30 minutes keeps [0, 30]; one microsecond
-- less splits it: 3 sessions of 0
SELECT (session_stats(p, interval '30 minutes')).sessions AS gap_30m,
	   (session_stats(p, interval '29 minutes 59.999999 seconds')).sessions AS gap_just_under
FROM pp WHERE c = 'edge';
-- the caps on long (steps at 0, 20, ..., 240 minutes)
-- max_duration 1 hour: [0..60] [80..140] [160..220] [240]: 4 sessions,
-- (60 + 60 + 60 + 0) / 4 = 45 minutes, longest 1 hour, 13 / 4 = 3.25 rows
SELECT (session_stats(p, interval '30 minutes', interval '1 hour', NULL)).* FROM pp WHERE c = 'long';
-- max_events 5: [0..80] [100..180] [200..240]: 3 sessions,
-- (80 + 80 + 40) / 3 = 66 min 40 s, longest 80 minutes, 13 / 3 rows
SELECT (session_stats(p, interval '30 minutes', NULL, 5)).* FROM pp WHERE c = 'long';
-- both, events binding: 1 hour and 3 rows: [0..40] [60..100] [120..160]
-- [180..220] [240]: 5 sessions, (4 * 40 + 0) / 5 = 32 minutes, longest 40
SELECT (session_stats(p, interval '30 minutes', interval '1 hour', 3)).* FROM pp WHERE c = 'long';
-- both, duration binding: 30 minutes and 3 rows: [0, 20] [40, 60] ...
-- [200, 220] [240]: 7 sessions, 6 * 20 / 7 minutes = 17 min 8.571429 s
SELECT (session_stats(p, interval '30 minutes', interval '30 minutes', 3)).* FROM pp WHERE c = 'long';
-- a session lasting exactly max_duration stays one: 40 minutes gives
-- [0..40] [60..100] [120..160] [180..220] [240]: 5
SELECT (session_stats(p, interval '30 minutes', interval '40 minutes', NULL)).sessions AS max_40m FROM pp WHERE c = 'long';
-- NULL caps are no caps
SELECT c, session_stats(p, interval '30 minutes', NULL, NULL) = session_stats(p, interval '30 minutes') AS same
FROM pp ORDER BY c;
-- ties never split: max_events 1 gives [0, 0] [40, 40] [41]: 3 sessions of
-- 0, 5 / 3 rows; max_duration 1 minute keeps [40, 40, 41]: 2
SELECT (session_stats(p, interval '30 minutes', NULL, 1)).*,
	   (session_stats(p, interval '30 minutes', interval '1 minute', NULL)).sessions AS max_1m
FROM pp WHERE c = 'ties';
-- the same as the aggregate over the rows, for each customer and setting
SELECT o.c, g.k,
	   session_stats(o.p, g.gap, g.max_duration, g.max_events) = a.st AS same_as_aggregate
FROM pp o
CROSS JOIN (VALUES (1, interval '30 minutes', NULL::interval, NULL::int),
				   (2, '20 minutes', '1 hour', NULL), (3, '1 hour', NULL, 2), (4, '10 minutes', '10 minutes', 1)) g(k, gap, max_duration, max_events)
JOIN LATERAL (SELECT session_stats(g.gap, ts, g.max_duration, g.max_events) AS st FROM psv WHERE psv.c = o.c) a ON true
ORDER BY o.c, g.k;
-- the composite: five attributes, the deprecated max_duration = longest_duration
SELECT (s).longest_duration, (s).max_duration, (s).longest_duration = (s).max_duration AS same
FROM (SELECT session_stats(p, interval '30 minutes') AS s FROM pp WHERE c = 'edge') x;
-- a path of one step: one session of 0
SELECT (session_stats('visit@2026-01-01 10:00'::milestone_path, interval '1 minute')).*;
-- exact durations over the widest finite span a path holds: 4714-11-24 BC to
-- 294276-12-31 23:59:59.999999 is 9435184819199999999 us (more than the
-- largest int64) = 109203527 days 23:59:59.999999
SELECT (session_stats(milestone_path_agg(l, ts), interval '100000000 days')).*
FROM (VALUES ('a', timestamptz '4714-11-24 00:00:00+00 BC'), ('b', '100000-01-01 00:00:00+00'),
			 ('c', '294276-12-31 23:59:59.999999+00')) v(l, ts);
-- NULL and empty paths: NULL, as the aggregate gives for no time
SELECT session_stats(NULL::milestone_path, interval '30 minutes') IS NULL AS null_path,
	   session_stats(''::milestone_path, interval '30 minutes') IS NULL AS empty_path,
	   session_stats(NULL::milestone_path, interval '30 minutes', NULL, 3) IS NULL AS null_path_caps;
-- a customer all of whose rows milestone_path_agg skipped has a NULL path;
-- the aggregate over the same rows counts the row with a time (1 session)
SELECT session_stats(milestone_path_agg(l, ts), interval '30 minutes') IS NULL AS all_skipped,
	   (session_stats(interval '30 minutes', ts)).sessions AS aggregate_sessions
FROM (VALUES (NULL, timestamptz '2026-01-01'), ('a', NULL)) v(l, ts);

-- bad options: the aggregate's errors, word for word (22023); a path
-- without times: 22023 with a hint
SELECT q, err(q) FROM (VALUES
	($$SELECT session_stats('a -> b'::milestone_path, interval '30 minutes')$$),
	($$SELECT session_stats('a -> b'::milestone_path, interval '30 minutes', NULL, 2)$$),
	($$SELECT session_stats(p, NULL::interval) FROM pp$$),
	($$SELECT session_stats(p, interval '0') FROM pp$$),
	($$SELECT session_stats(p, interval '-5 minutes') FROM pp$$),
	($$SELECT session_stats(p, interval '1 month') FROM pp$$),
	($$SELECT session_stats(p, interval '30 minutes', NULL, 0) FROM pp$$),
	($$SELECT session_stats(p, interval '30 minutes', NULL, -3) FROM pp$$),
	($$SELECT session_stats(p, interval '30 minutes', interval '0', NULL) FROM pp$$),
	($$SELECT session_stats(p, interval '30 minutes', interval '-1 hour', NULL) FROM pp$$),
	($$SELECT session_stats(p, interval '30 minutes', interval '1 month', NULL) FROM pp$$),
	-- the options are checked first, as the aggregate checks them on every row
	($$SELECT session_stats(NULL::milestone_path, NULL::interval)$$),
	($$SELECT session_stats(NULL::milestone_path, interval '30 minutes', NULL, 0)$$)) v(q);
-- each bad option gives the same error as the aggregate
SELECT o, left(err(format('SELECT session_stats(p, %s) FROM pp', o)), 5) AS sqlstate,
	   err(format('SELECT session_stats(p, %s) FROM pp', o)) = err(format('SELECT session_stats(%s) FROM psv', regexp_replace(o, ', ', ', ts, '))) AS same_error
FROM (VALUES ('NULL::interval, NULL, NULL'), ('interval ''0'', NULL, NULL'), ('interval ''-5 minutes'', NULL, NULL'),
			 ('interval ''1 month'', NULL, NULL'), ('interval ''1 hour'', NULL, 0'),
			 ('interval ''1 hour'', interval ''1 year'', NULL'), ('interval ''1 hour'', interval ''-1 second'', NULL')) v(o);

-- outside what a path holds (the rows the randomized test leaves out):
-- the aggregate counts every row with a time; the path skips a row whose
-- label is NULL, and refuses an infinite time or an empty label (22023)
SELECT (session_stats(interval '30 minutes', ts)).sessions AS aggregate_sessions,
	   (session_stats(interval '30 minutes', ts)).avg_events AS aggregate_rows_per_session,
	   (session_stats(milestone_path_agg(l, ts), interval '30 minutes')).sessions AS path_sessions,
	   (session_stats(milestone_path_agg(l, ts), interval '30 minutes')).avg_events AS path_rows_per_session
FROM (VALUES ('a', timestamptz '2026-01-01 10:00'), (NULL, '2026-01-01 10:20'), ('b', '2026-01-01 10:40')) v(l, ts);
-- an infinite time: the aggregate gives it a session of its own ([10:00]
-- [infinity]: 2 sessions); the path cannot hold it
SELECT (session_stats(interval '30 minutes', ts)).sessions AS aggregate_sessions
FROM (VALUES ('a', timestamptz '2026-01-01 10:00'), ('b', 'infinity')) v(l, ts);
SELECT err($$SELECT session_stats(milestone_path_agg(l, ts), interval '30 minutes')
	FROM (VALUES ('a', timestamptz '2026-01-01 10:00'), ('b', 'infinity')) v(l, ts)$$);
SELECT err($$SELECT session_stats(milestone_path_agg(l, ts), interval '30 minutes')
	FROM (VALUES ('a', timestamptz '2026-01-01 10:00'), ('', '2026-01-01 10:10')) v(l, ts)$$);

-- the functions: arguments, result, volatility, strictness, comments
SELECT p.oid::regprocedure, p.prorettype::regtype, p.provolatile, p.proisstrict, p.proparallel, p.proretset, p.prorows,
	   obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.proname IN ('session_stats', 'milestone_status', 'milestone_level') AND NOT p.prokind = 'a'
ORDER BY p.oid::regprocedure::text;

-- 2. the growth map
CREATE TABLE growth (m text[]);
INSERT INTO growth VALUES ('{visit,newsletter,cart,purchase,"repeat purchase",review}');
CREATE TABLE journeys (customer_id int PRIMARY KEY, p milestone_path);
INSERT INTO journeys VALUES
	-- visits, the cart twice, a purchase; never the newsletter; an unmapped label
	(1, 'visit@2026-01-01 10:00 -> cart@2026-01-01 10:05 -> visit@2026-01-02 09:00 -> wishlist@2026-01-02 09:01 -> cart@2026-01-02 09:02 -> purchase@2026-01-02 09:10'),
	-- a review without anything else in the map: level 6, the rest unreached
	(2, 'review@2026-02-01 12:00 -> review@2026-02-03 12:00'),
	-- only unmapped labels, and labels that differ from the map's by case and blanks
	(3, 'Visit@2026-03-01 08:00 -> "cart "@2026-03-01 08:01 -> login@2026-03-01 08:02'),
	-- a pattern: reached, without times
	(4, 'visit -> newsletter -> cart'),
	-- the empty path
	(5, ''),
	-- ties: newsletter and visit at the same instant (stored in label order)
	(6, 'newsletter@2026-04-01 10:00 -> visit@2026-04-01 10:00 -> "repeat purchase"@2026-04-05 10:00'),
	(7, NULL);
SELECT customer_id, p FROM journeys WHERE customer_id = 6;
-- customer 1: visit first at 01-01 10:00, cart first at 01-01 10:05,
-- purchase at 01-02 09:10; newsletter, repeat purchase and review never
SELECT s.* FROM journeys j, growth g, milestone_status(j.p, g.m) s WHERE j.customer_id = 1;
-- customer 2: only review (6), first at 02-01
SELECT s.* FROM journeys j, growth g, milestone_status(j.p, g.m) s WHERE j.customer_id = 2;
-- customers 3 to 7: nothing reached (3, 5); a pattern reaches 1 to 3
-- without times (4); ties give both the same first time (6); a NULL path
-- gives no rows (7)
SELECT j.customer_id, s.* FROM journeys j, growth g, milestone_status(j.p, g.m) s
WHERE j.customer_id >= 3 ORDER BY j.customer_id, s.milestone;
SELECT count(*) AS rows_for_null_path FROM journeys j, growth g, milestone_status(j.p, g.m) WHERE j.customer_id = 7;
-- levels: 1 -> 4 (purchase), 2 -> 6 (review), 3 -> 0, 4 -> 3, 5 -> 0, 6 -> 5, 7 -> NULL
SELECT customer_id, milestone_level(p, m) FROM journeys, growth ORDER BY customer_id;
-- the level is the highest number among the rows marked reached
SELECT customer_id, milestone_level(p, m) = coalesce((SELECT max(milestone) FILTER (WHERE reached) FROM milestone_status(p, m)), 0) AS agrees
FROM journeys, growth WHERE p IS NOT NULL ORDER BY customer_id;
-- reached_at agrees with reached_at(p, label) on every row
SELECT count(*) AS status_rows, count(*) FILTER (WHERE s.reached_at IS DISTINCT FROM reached_at(j.p, s.label)) AS disagree
FROM journeys j, growth g, milestone_status(j.p, g.m) s;
-- a map that changes from row to row (each call site caches the last map)
-- 1: {purchase, visit} -> 2; 2: {review} -> 1; 3: all three -> 3;
-- 4: {cart} -> 1; 5: {x} -> 0; 6: both -> 2
SELECT j.customer_id, milestone_level(j.p, v.m) AS level
FROM journeys j JOIN (VALUES (1, '{purchase,visit}'::text[]), (2, '{review}'), (3, '{"cart ",Visit,login}'),
							 (4, '{cart}'), (5, '{x}'), (6, '{"repeat purchase",newsletter}')) v(customer_id, m) USING (customer_id)
ORDER BY j.customer_id;
SELECT v.k, s.* FROM (VALUES (1, '{buy,cart}'::text[]), (2, '{cart}'), (3, '{buy,cart}')) v(k, m),
	milestone_status('cart@2026-01-01 -> buy@2026-01-02'::milestone_path, v.m) s ORDER BY v.k, s.milestone;
-- labels match byte for byte: multibyte labels, and a label of 255 bytes
SELECT * FROM milestone_status('café@2026-01-01 10:00 -> "x y"@2026-01-01 11:00'::milestone_path, '{cafe,café,"x y"}');
SELECT milestone_level(milestone_path_agg(repeat('x', 255), timestamptz '2026-01-01'), ARRAY['a', repeat('x', 255)]);
-- a map of 20,000 milestones: each once; level and status as for a short one
SELECT milestone_level('m17@2026-01-01 -> m19999@2026-01-02 -> zz@2026-01-03'::milestone_path,
					   (SELECT array_agg('m' || i ORDER BY i) FROM generate_series(1, 20000) i)) AS level,
	   (SELECT count(*) FILTER (WHERE reached) || ' of ' || count(*)
		FROM milestone_status('m17@2026-01-01 -> m19999@2026-01-02'::milestone_path,
							  (SELECT array_agg('m' || i ORDER BY i) FROM generate_series(1, 20000) i))) AS reached;

-- the support screen: one customer by id through the primary key's index
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT s.milestone, s.label, s.reached, s.reached_at
FROM journeys j, milestone_status(j.p, '{visit,newsletter,cart,purchase}') s WHERE j.customer_id = 1;
RESET enable_seqscan;

-- bad maps: 22023 naming the argument, the element or the label
SELECT q, err(q) FROM (VALUES
	($$SELECT milestone_level('a'::milestone_path, NULL)$$),
	($$SELECT * FROM milestone_status('a'::milestone_path, NULL)$$),
	($$SELECT milestone_level('a'::milestone_path, '{}')$$),
	($$SELECT * FROM milestone_status('a'::milestone_path, '{}')$$),
	($$SELECT milestone_level('a'::milestone_path, '{{a,b},{c,d}}')$$),
	($$SELECT milestone_level('a'::milestone_path, '{visit,cart,NULL,buy}')$$),
	($$SELECT * FROM milestone_status('a'::milestone_path, '{visit,cart,NULL,buy}')$$),
	($$SELECT milestone_level('a'::milestone_path, '{visit,cart,buy,cart,visit}')$$),
	($$SELECT * FROM milestone_status('a'::milestone_path, '{visit,cart,buy,cart}')$$),
	($$SELECT milestone_level('a'::milestone_path, '{visit,""}')$$),
	($$SELECT milestone_level('a'::milestone_path, ARRAY['visit', repeat('é', 128)])$$),
	-- the map is checked first, also for a NULL path
	($$SELECT milestone_level(NULL, '{a,a}')$$),
	($$SELECT * FROM milestone_status(NULL, '{}')$$)) v(q);
-- a bad map after a good one at the same call site is still refused, and a
-- good one after a bad one is accepted
SELECT err($$SELECT milestone_level('a'::milestone_path, m) FROM (VALUES (1, '{a,b}'::text[]), (2, '{a,a}')) v(k, m)$$);
SELECT k, milestone_level('b'::milestone_path, m) FROM (VALUES (1, '{a,b}'::text[]), (2, '{b}')) v(k, m) ORDER BY k;
-- the SQLSTATE as psql shows it
\set VERBOSITY sqlstate
SELECT milestone_level('a'::milestone_path, NULL);
SELECT milestone_level('a'::milestone_path, '{a,a}');
SELECT session_stats('a -> b'::milestone_path, interval '30 minutes');
\set VERBOSITY default
SELECT milestone_level('a'::milestone_path, '{a,NULL}');
SELECT session_stats('a -> b'::milestone_path, interval '30 minutes');

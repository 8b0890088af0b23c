-- session_stats(gap, ts[, max_duration, max_events]): the 0.3.0 argument
-- order, session_id's caps, the deprecated (ts, gap) aliases, the
-- longest_duration / max_duration columns, extreme times, parallel plans.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE so (c text, m int);
CREATE VIEW sov AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts FROM so;
INSERT INTO so VALUES
	-- long: one row every 20 minutes for 4 hours (13 rows)
	('long', 0), ('long', 20), ('long', 40), ('long', 60), ('long', 80), ('long', 100), ('long', 120),
	('long', 140), ('long', 160), ('long', 180), ('long', 200), ('long', 220), ('long', 240),
	-- edge: 30 minutes after the first (stays with gap 30), then 31 after that (splits)
	('edge', 0), ('edge', 30), ('edge', 61),
	-- ties: rows at one instant never split, whatever the caps
	('ties', 0), ('ties', 0), ('ties', 40), ('ties', 40), ('ties', 41);

-- 1. the new order: gap first, then the row's time
-- long: one session of 4 hours, 13 rows; edge: [0, 30] and [61]: 30 and 0
-- minutes; ties: [0, 0] and [40, 40, 41]: 0 and 1 minute
SELECT c, (session_stats(interval '30 minutes', ts)).* FROM sov GROUP BY c ORDER BY c;
SELECT session_stats(interval '30 minutes', ts::timestamp) FROM sov WHERE c = 'edge';

-- 2. the caps on long (rows at 0, 20, ..., 240 minutes)
-- max_duration 1 hour: [0..60] [80..140] [160..220] [240]: 4 sessions,
-- (60 + 60 + 60 + 0) / 4 = 45 minutes, longest 1 hour, 13 / 4 = 3.25 rows
SELECT (session_stats(interval '30 minutes', ts, interval '1 hour', NULL)).* FROM sov WHERE c = 'long';
-- max_events 5: [0..80] [100..180] [200..240]: 3 sessions,
-- (80 + 80 + 40) / 3 = 66 min 40 s, longest 80 minutes, 13 / 3 rows
SELECT (session_stats(interval '30 minutes', ts, NULL, 5)).* FROM sov WHERE c = 'long';
-- both, events binding: 1 hour and 3 rows: [0..40] [60..100] [120..160]
-- [180..220] [240]: 5 sessions, (4 * 40 + 0) / 5 = 32 minutes, longest 40
SELECT (session_stats(interval '30 minutes', ts, interval '1 hour', 3)).* FROM sov WHERE c = 'long';
-- both, duration binding: 30 minutes and 3 rows: [0, 20] [40, 60] ... [200,
-- 220] [240]: 7 sessions, 6 * 20 / 7 minutes = 17 min 8.571429 s, longest
-- 20 minutes, 13 / 7 rows
SELECT (session_stats(interval '30 minutes', ts, interval '30 minutes', 3)).* FROM sov WHERE c = 'long';
-- a session lasting exactly max_duration stays one (40 minutes: [0..40] [60..100] ...)
SELECT (session_stats(interval '30 minutes', ts, interval '40 minutes', NULL)).sessions AS max_40m FROM sov WHERE c = 'long';
-- NULL caps are no caps: the same as the two-argument form
SELECT (session_stats(interval '30 minutes', ts, NULL, NULL)) = (session_stats(interval '30 minutes', ts)) AS same
FROM sov WHERE c = 'long';
-- ties never split: max_events 1 on ties gives [0, 0] [40, 40] [41]:
-- 3 sessions of 0 minutes, 5 / 3 rows; max_duration 1 minute keeps [40, 40, 41]
SELECT (session_stats(interval '30 minutes', ts, NULL, 1)).*, (session_stats(interval '30 minutes', ts, interval '1 minute', NULL)).sessions AS max_1m
FROM sov WHERE c = 'ties';
-- the same caps give the same cuts as session_id
SELECT ts, session_id(ts, interval '30 minutes', max_duration => interval '1 hour', max_events => 3) OVER (ORDER BY ts) AS sid
FROM sov WHERE c = 'long' ORDER BY ts;

-- 3. bad options: 22023, naming the argument and quoting the value
SELECT session_stats(interval '30 minutes', ts, NULL, 0) FROM sov;
SELECT session_stats(interval '30 minutes', ts, NULL, -3) FROM sov;
SELECT session_stats(interval '30 minutes', ts, interval '0', NULL) FROM sov;
SELECT session_stats(interval '30 minutes', ts, interval '-1 hour', NULL) FROM sov;
SELECT session_stats(interval '30 minutes', ts, interval '1 month', NULL) FROM sov;
SELECT session_stats(NULL::interval, ts) FROM sov;
SELECT session_stats(interval '0', ts) FROM sov;
-- options must not change within a group
SELECT session_stats(interval '30 minutes', ts, NULL, CASE WHEN m < 100 THEN 2 END) FROM so JOIN sov USING (c) WHERE c = 'long';
\set VERBOSITY sqlstate
SELECT session_stats(interval '30 minutes', ts, NULL, 0) FROM sov;
SELECT session_stats(interval '30 minutes', ts, interval '1 month', NULL) FROM sov;
SELECT session_stats(interval '30 minutes', ts, NULL, CASE WHEN m < 100 THEN 2 END) FROM so JOIN sov USING (c) WHERE c = 'long';
\set VERBOSITY default
-- options that differ between groups are fine
SELECT c, (session_stats(interval '30 minutes', ts, NULL, CASE c WHEN 'long' THEN 5 WHEN 'ties' THEN 1 END)).sessions
FROM sov GROUP BY c ORDER BY c;

-- 4. the deprecated (ts, gap) aliases give the same answers
SELECT c, session_stats(ts, interval '30 minutes') = session_stats(interval '30 minutes', ts) AS same,
	   session_stats(ts::timestamp, interval '30 minutes') = session_stats(interval '30 minutes', ts::timestamp) AS same_timestamp
FROM sov GROUP BY c ORDER BY c;
SELECT p.oid::regprocedure AS aggregate, obj_description(p.oid, 'pg_proc') LIKE 'deprecated alias of session_stats(gap, ts)%' AS says_deprecated,
	   a.aggtransspace
FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.proname = 'session_stats' ORDER BY p.oid::regprocedure::text;

-- 5. longest_duration, and max_duration as its deprecated alias
SELECT attnum, attname, atttypid::regtype FROM pg_attribute
WHERE attrelid = 'session_summary'::regclass AND attnum > 0 ORDER BY attnum;
SELECT c, (st).longest_duration, (st).max_duration, (st).longest_duration = (st).max_duration AS same
FROM (SELECT c, session_stats(interval '30 minutes', ts) AS st FROM sov GROUP BY c) s ORDER BY c;

-- 6. extreme times, exact to the microsecond (PostgreSQL's own timestamp
-- subtraction overflows here, so the answers are computed by hand: 4714-11-24
-- BC is -211813488000000000 us from 2000-01-01, 294276-12-31 23:59:59.999999
-- is 9223371331199999999 us, 100000-01-01 is 3092581296000000000 us)
CREATE TABLE far (k int, ts timestamptz);
INSERT INTO far VALUES (1, '4714-11-24 00:00:00+00 BC'), (2, '100000-01-01 00:00:00+00'), (3, '294276-12-31 23:59:59.999999+00');
-- one session over the whole range: 9435184819199999999 us = 109203527
-- days 23:59:59.999999, more than the largest int64 (9223372036854775807)
SELECT (session_stats(interval '100000000 days', ts)).* FROM far;
SELECT session_id(ts, interval '100000000 days') OVER (ORDER BY ts) AS sid FROM far ORDER BY ts;
-- max_duration 100000000 days: [BC, 100000] and [294276]: 3304394784000000000 us
-- = 38245310 days, and 0; average 19122655 days
SELECT (session_stats(interval '100000000 days', ts, interval '100000000 days', NULL)).* FROM far;
SELECT session_id(ts, interval '100000000 days', max_duration => interval '100000000 days') OVER (ORDER BY ts) AS sid FROM far ORDER BY ts;
-- the same with timestamp without time zone, and through the deprecated alias
SELECT (session_stats(interval '100000000 days', ts::timestamp)).longest_duration,
	   (session_stats(ts::timestamp, interval '100000000 days')).longest_duration AS alias FROM far;
-- two sessions far apart: (BC to BC + 1 day) and (294276 - 1 day to 294276): averages 1 day
SELECT (session_stats(interval '2 days', ts)).* FROM (VALUES
	(timestamptz '4714-11-24 00:00:00+00 BC'), ('4714-11-25 00:00:00+00 BC'),
	('294276-12-30 23:59:59.999999+00'), ('294276-12-31 23:59:59.999999+00')) v(ts);
-- an infinite time shares a session only with the same infinity:
-- [-inf, -inf] [2026] [294276] [inf]: 4 sessions of 0, whatever the gap
SELECT (session_stats(interval '100000000 days', ts)).* FROM (VALUES
	(timestamptz '-infinity'), ('-infinity'), ('2026-01-01'), ('294276-12-31 23:59:59.999999+00'), ('infinity')) v(ts);
SELECT ts, session_id(ts, interval '100000000 days') OVER (ORDER BY ts) AS sid FROM (VALUES
	(timestamptz '-infinity'), ('-infinity'), ('2026-01-01'), ('294276-12-31 23:59:59.999999+00'), ('infinity')) v(ts) ORDER BY ts;

-- 7. session_stats with caps against session_id with the same caps and plain
-- SQL over its sessions, on random customers, for several settings
SELECT setseed(0.37);
CREATE TABLE rnd (c int, ts timestamptz);
INSERT INTO rnd
SELECT c, CASE WHEN r1 < 0.03 THEN NULL
			   ELSE timestamptz '2026-01-01' + floor(r2 * 400) * interval '1 minute' END
FROM (SELECT c, random() AS r1, random() AS r2
	  FROM generate_series(1, 1500) c, LATERAL generate_series(1, 1 + floor(random() * 15)::int + 0 * c)) x;
CREATE TABLE settings (k int, gap interval, max_duration interval, max_events int4);
INSERT INTO settings VALUES (1, '20 minutes', NULL, NULL), (2, '20 minutes', '45 minutes', NULL),
	(3, '20 minutes', NULL, 3), (4, '20 minutes', '45 minutes', 3), (5, '1 hour', '30 minutes', 5),
	(6, '30 minutes', '2 hours', 1);
CREATE TABLE ref AS
	SELECT k, c, count(*) AS sessions, sum(span) AS total_us, max(span) AS longest_us, sum(n)::numeric / count(*) AS avg_events
	FROM (SELECT k, c, sid, extract(epoch FROM max(ts) - min(ts)) * 1000000 AS span, count(*) AS n
		  FROM (SELECT k, c, ts, session_id(ts, gap, max_duration => max_duration, max_events => max_events)
					OVER (PARTITION BY k, c ORDER BY ts) AS sid
				FROM settings, rnd WHERE ts IS NOT NULL) w
		  GROUP BY k, c, sid) s
	GROUP BY k, c;
SELECT count(*) AS groups, count(DISTINCT k) AS settings, sum(sessions) AS sessions FROM ref;
SELECT k, count(*) AS groups,
	   count(*) FILTER (WHERE (st).sessions <> r.sessions
						OR extract(epoch FROM (st).avg_duration) * 1000000 <> round(r.total_us / r.sessions)
						OR extract(epoch FROM (st).longest_duration) * 1000000 <> r.longest_us
						OR (st).avg_events <> r.avg_events) AS mismatches
FROM (SELECT k, c, session_stats(gap, ts, max_duration, max_events) AS st FROM settings, rnd GROUP BY k, c) o
JOIN ref r USING (k, c) GROUP BY k ORDER BY k;
-- customers whose times are all NULL have no state: NULL
SELECT count(*) AS null_only, count(st) AS with_summary
FROM (SELECT c, session_stats(interval '20 minutes', ts, interval '45 minutes', 3) AS st FROM rnd GROUP BY c) o
WHERE c NOT IN (SELECT c FROM rnd WHERE ts IS NOT NULL);
-- sorted and hashed grouping give the same answers
SET enable_hashagg = off;
CREATE TABLE sorted_plan AS SELECT k, c, session_stats(gap, ts, max_duration, max_events) AS st FROM settings, rnd GROUP BY k, c;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups, count(*) FILTER (WHERE s.st IS DISTINCT FROM h.st) AS differing
FROM sorted_plan s JOIN (SELECT k, c, session_stats(gap, ts, max_duration, max_events) AS st FROM settings, rnd GROUP BY k, c) h USING (k, c);
RESET enable_sort;

-- 8. parallel plans give the serial answers
CREATE TABLE many AS
	SELECT i % 300 AS c, timestamptz '2026-01-01' + (abs(hashint4(i)) % 20000) * interval '1 minute' AS ts
	FROM generate_series(1, 60000) i;
ANALYZE many;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_many AS
	SELECT c, session_stats(interval '3 hours', ts, interval '4 hours', 3) AS capped,
		   session_stats(interval '3 hours', ts) AS plain, session_stats(ts, interval '3 hours') AS alias
	FROM many GROUP BY c;
CREATE TABLE serial_one AS SELECT session_stats(interval '30 minutes', ts, NULL, 50) AS st FROM many;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT c, session_stats(interval '3 hours', ts, interval '4 hours', 3) FROM many GROUP BY c;
-- every customer has 200 rows about 100 minutes apart: the caps cut more sessions
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE s.capped IS DISTINCT FROM p.capped OR s.plain IS DISTINCT FROM p.plain
						OR s.alias IS DISTINCT FROM p.alias OR s.plain IS DISTINCT FROM s.alias) AS differing,
	   count(*) FILTER (WHERE (s.capped).sessions > (s.plain).sessions) AS caps_cut_more
FROM serial_many s JOIN (
	SELECT c, session_stats(interval '3 hours', ts, interval '4 hours', 3) AS capped,
		   session_stats(interval '3 hours', ts) AS plain, session_stats(ts, interval '3 hours') AS alias
	FROM many GROUP BY c) p USING (c);
-- one group over all workers: the partial states are combined
EXPLAIN (COSTS OFF) SELECT session_stats(interval '30 minutes', ts, NULL, 50) FROM many;
SELECT (SELECT st FROM serial_one) = (SELECT session_stats(interval '30 minutes', ts, NULL, 50) FROM many) AS same_as_serial;
RESET ALL;
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
DROP TABLE so, far, rnd, settings, ref, sorted_plan, many, serial_many, serial_one CASCADE;

-- 9. a database still at 0.2.0 with this library (4 result columns), then
-- upgraded: its views reading (s).max_duration and its stored summaries
-- keep working; the stored ones, made by 0.2.0, have no fifth column
SELECT current_database() AS regress_db \gset
CREATE DATABASE cx_session_upgrade;
\c cx_session_upgrade
SET timezone = 'UTC'; SET intervalstyle = 'postgres';
CREATE EXTENSION cx_journey VERSION '0.2.0';
CREATE TABLE ev (c int, ts timestamptz);
-- customer 1: [00:00, 00:20] and [02:00]; customer 2: one row
INSERT INTO ev VALUES (1, '2026-01-01 00:00'), (1, '2026-01-01 00:20'), (1, '2026-01-01 02:00'), (2, '2026-01-01 00:00');
CREATE VIEW v AS SELECT c, (session_stats(ts, interval '30 minutes')).max_duration AS longest,
	session_stats(ts, interval '30 minutes') AS st FROM ev GROUP BY c;
CREATE VIEW v_all AS SELECT c, (s).* FROM (SELECT c, session_stats(ts, interval '30 minutes') AS s FROM ev GROUP BY c) x;
CREATE TABLE saved AS SELECT c, session_stats(ts, interval '30 minutes') AS st FROM ev GROUP BY c;
SELECT * FROM v ORDER BY c;
ALTER EXTENSION cx_journey UPDATE TO '0.3.0';
SELECT * FROM v ORDER BY c;
SELECT * FROM v_all ORDER BY c;
SELECT c, st, (st).longest_duration, (st).max_duration FROM saved ORDER BY c;
SELECT c, (session_stats(ts, interval '30 minutes')).max_duration,
	   (session_stats(interval '30 minutes', ts)).longest_duration FROM ev GROUP BY c ORDER BY c;
\c :regress_db
DROP DATABASE cx_session_upgrade;

-- 7. options that vary by row, at one instant (an adversarial pass's): an
-- instant breaks when any of its rows, with its own gap and caps, breaks it,
-- so the order of tied rows does not matter.  Rows 2 and 3 are 30 minutes
-- after row 1; row 2's gap is 1 minute: both orders give 1, 2, 2 (before:
-- 1, 2, 2 with row 2 first and 1, 1, 1 with row 3 first)
CREATE TABLE tv (id int, ts timestamptz, g interval, me int4);
INSERT INTO tv VALUES (1, '2024-01-01 00:00', '1 hour', NULL), (2, '2024-01-01 00:30', '1 minute', 1),
	(3, '2024-01-01 00:30', '1 hour', NULL);
SELECT id, session_id(ts, g) OVER (ORDER BY ts, id) AS id_first, session_id(ts, g) OVER (ORDER BY ts, id DESC) AS id_last,
	session_seq(ts, g) OVER (ORDER BY ts, id DESC) AS seq_id_last
FROM tv ORDER BY id;
-- max_events 1 on row 2 only: the instant at 00:30 starts a session in
-- both orders (the session holds row 1 when row 2 comes)
SELECT id, session_id(ts, interval '1 hour', max_events => me) OVER (ORDER BY ts, id) AS id_first,
	session_id(ts, interval '1 hour', max_events => me) OVER (ORDER BY ts, id DESC) AS id_last
FROM tv ORDER BY id;
-- and no rule breaks: one session whatever the order
UPDATE tv SET g = '1 hour', me = NULL;
SELECT id, session_id(ts, g) OVER (ORDER BY ts, id) AS id_first, session_id(ts, g) OVER (ORDER BY ts, id DESC) AS id_last
FROM tv ORDER BY id;
-- a NULL gap on a tied row is still an error, from whichever row reads it first
UPDATE tv SET g = NULL WHERE id = 3;
SELECT id, session_id(ts, g) OVER (ORDER BY ts, id) FROM tv ORDER BY id;
DROP TABLE tv;

-- 8. (review of 7) a row whose time is NULL between tied rows (a window
-- ordered by the time while the function reads a filtered time) does not
-- end the look at the instant: row 4's own 1-minute gap, or its boundary,
-- starts a session at 00:30 in both orders (before: 1, 1, NULL, 1 with the
-- NULL row first)
CREATE TABLE tn (id int, ts timestamptz, ev text, g interval, b bool);
INSERT INTO tn VALUES (1, '2024-01-01 00:00', 'view', '1 hour', false), (2, '2024-01-01 00:30', 'view', '1 hour', false),
	(3, '2024-01-01 00:30', 'noise', '1 hour', false), (4, '2024-01-01 00:30', 'view', '1 minute', true);
SELECT id,
	session_id(CASE WHEN ev <> 'noise' THEN ts END, g) OVER (ORDER BY ts, id) AS gap_id_first,
	session_id(CASE WHEN ev <> 'noise' THEN ts END, g) OVER (ORDER BY ts, id DESC) AS gap_id_last,
	session_id(CASE WHEN ev <> 'noise' THEN ts END, interval '1 hour', boundary => b) OVER (ORDER BY ts, id) AS boundary_id_first,
	session_id(CASE WHEN ev <> 'noise' THEN ts END, interval '1 hour', boundary => b) OVER (ORDER BY ts, id DESC) AS boundary_id_last
FROM tn ORDER BY id;
DROP TABLE tn;

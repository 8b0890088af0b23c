-- Regression tests of the 0.3.0 code review's findings (one section each).
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
\set VERBOSITY default

-- 2. session_id / session_seq check gap, max_duration and max_events on
-- every row, as session_stats does, not only when a new instant within the
-- gap is reached.  Rows one hour apart with gap 1 minute: every row starts a
-- session, so the caps were never read.
CREATE TABLE rf_hourly (ts timestamptz);
INSERT INTO rf_hourly VALUES ('2026-01-01 10:00'), ('2026-01-01 11:00');
SELECT session_id(ts, '1 min', NULL, 0) OVER (ORDER BY ts) FROM rf_hourly;
SELECT session_seq(ts, '1 min', NULL, 0) OVER (ORDER BY ts) FROM rf_hourly;
SELECT session_stats('1 min', ts, NULL, 0) FROM rf_hourly;
-- a one-row partition: its only row is a partition's first
SELECT session_id(ts, '1 min', interval '-1 min') OVER (ORDER BY ts)
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);
SELECT session_seq(ts, '1 min', interval '1 month') OVER (ORDER BY ts)
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);
-- a row without a time still has its caps checked
SELECT session_id(ts, '1 min', NULL, -3) OVER (ORDER BY ts)
FROM (VALUES (NULL::timestamptz)) v(ts);
SELECT session_id(ts, '0 min') OVER (ORDER BY ts)
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);
-- a bad cap on a later row of the partition, past rows that split anyway
SELECT session_id(ts, '1 min', NULL, CASE WHEN ts > '2026-01-01 10:30' THEN 0 ELSE 5 END)
	OVER (ORDER BY ts) FROM rf_hourly;
-- valid caps: the same answers as before
SELECT ts, session_id(ts, '30 min', '1 hour', 2) OVER w AS id, session_seq(ts, '30 min', '1 hour', 2) OVER w AS seq
FROM (VALUES (timestamptz '2026-01-01 10:00'), ('2026-01-01 10:10'), ('2026-01-01 10:20'),
			 ('2026-01-01 10:25'), ('2026-01-01 12:00'), (NULL)) v(ts)
WINDOW w AS (ORDER BY ts);

-- 4. time_to_convert of a chain with a step at infinity: its own 22008,
-- naming the steps' times; finite chains keep timestamp subtraction's form.
SELECT time_to_convert(interval '1 hour', ts, e = 'a', e = 'b')
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e);
SELECT time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'])
FROM (VALUES (timestamptz '-infinity', 'a'), ('-infinity', 'b'), ('-infinity', 'c')) v(ts, e);
SELECT time_to_convert(interval '2 days', ts, e = 'a', e = 'b')
FROM (VALUES (timestamptz '2026-01-01 10:00', 'a'), ('2026-01-02 12:00:01.5', 'b')) v(ts, e);
SELECT time_to_convert(interval '2 days', ts, e = 'a', e = 'b')
FROM (VALUES (timestamptz '2026-01-01 10:00', 'a'), ('2026-01-01 10:00', 'b')) v(ts, e);
-- the widest finite span a window allows still fits an interval
SELECT time_to_convert(interval '100000000 days', ts, e = 'a', e = 'b')
FROM (VALUES (timestamptz '4713-01-01 00:00 BC', 'a'), ('269078-01-01', 'b')) v(ts, e);

-- 6. A group whose rows disagree on their options: the message names the
-- first option that differs (funnel: window, mode, step count, steps;
-- sessions: gap, max_duration, max_events) and quotes the group's value,
-- then the differing one.
CREATE TABLE rf_rows (ts timestamptz, e text, win interval, mode text, steps text[],
					  gap interval, maxd interval, maxe int);
INSERT INTO rf_rows VALUES
	('2026-01-01 10:00', 'a', '1 day', 'STRICT_ORDER, strict_once', '{a,b}', '30 min', NULL, 3),
	('2026-01-01 10:05', 'b', '36 hours', 'strict_increase,strict_order', '{a,b,c}', '1 hour', '1 hour', NULL);
SELECT window_funnel(win, ts, e = 'a', e = 'b') FROM rf_rows;
SELECT window_funnel(interval '1 hour', mode, ts, e = 'a', e = 'b') FROM rf_rows;
SELECT window_funnel(interval '1 hour', 'allow_reentry', ts, e, steps) FROM rf_rows;
SELECT time_to_convert(interval '1 hour', ts, e, CASE e WHEN 'a' THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END) FROM rf_rows;
SELECT session_stats(gap, ts) FROM rf_rows;
SELECT session_stats(interval '1 hour', ts, maxd, NULL) FROM rf_rows;
SELECT session_stats(interval '1 hour', ts, NULL, maxe) FROM rf_rows;
-- the same found by the combine functions: each partition's rows agree, and
-- GROUP BY is not on the partition key, so each partition is aggregated
-- partially (partition 1's state first)
CREATE TABLE rf_parts (part int, g int, ts timestamptz, e text, win interval, mode text, steps text[],
					   gap interval, maxd interval, maxe int) PARTITION BY LIST (part);
CREATE TABLE rf_parts_1 PARTITION OF rf_parts FOR VALUES IN (1);
CREATE TABLE rf_parts_2 PARTITION OF rf_parts FOR VALUES IN (2);
INSERT INTO rf_parts SELECT 1, g, ts + r * interval '1 minute', e, '2 days', '', '{a}', '45 min', NULL, 5
	FROM rf_rows, generate_series(1, 10) g, generate_series(1, 300) r;
INSERT INTO rf_parts SELECT 2, g, ts + r * interval '1 minute', e, '2 days 01:00', 'first_entry', '{a,b,c,d}', '45 min', '1 day', NULL
	FROM rf_rows, generate_series(1, 10) g, generate_series(1, 300) r;
ANALYZE rf_parts;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
-- hashed, so that the combine meets the partial states in partition order
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT window_funnel(win, ts, e = 'a') FROM rf_parts GROUP BY g;
SELECT window_funnel(win, ts, e = 'a') FROM rf_parts GROUP BY g;
SELECT window_funnel(interval '1 hour', mode, ts, e = 'a') FROM rf_parts GROUP BY g;
SELECT window_funnel(interval '1 hour', ts, e, steps) FROM rf_parts GROUP BY g;
SELECT session_stats(gap, ts, maxd, maxe) FROM rf_parts GROUP BY g;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
RESET enable_sort;

-- An empty path has one encoding: received with the times flag (flags 1,
-- no steps) or read from JSON '[]', it equals '', hashes and groups with it
\i sql/include/write_copy_file.sql
CREATE TABLE rf_empty (p milestone_path);
SELECT pg_temp.write_copy_file('\x0100000000', :'copyfile');
COPY rf_empty FROM :'copyfile' (FORMAT binary);
INSERT INTO rf_empty VALUES (''), ('[]'::json::milestone_path);
SELECT p = ''::milestone_path AS equals_empty, p > ''::milestone_path AS above_empty,
	   milestone_path_send(p) FROM rf_empty;
SELECT count(*) AS rows, count(DISTINCT p) AS distinct_paths FROM rf_empty;
SET enable_hashagg = on;
SELECT p::text, count(*) FROM rf_empty GROUP BY p;
SET enable_hashagg = off;
SELECT p::text, count(*) FROM rf_empty GROUP BY p;
RESET enable_hashagg;

-- JSON: a \u escape that is half of a surrogate pair is refused (22P02), as
-- PostgreSQL's own JSON functions do; a whole pair and escaped backslashes pass
SELECT milestone_path('[{"label": "\ud83d"}]'::json);
SELECT milestone_path('[{"label": "a\udc00b"}]'::json);
SELECT milestone_path('[{"label": "\ud83d\u0041"}]'::json);
SELECT milestone_path('[{"label": "\ud83d\ude00"}]'::json)::text AS pair;
SELECT milestone_path('[{"label": "\\ud83d"}]'::json)::text AS escaped_backslash;

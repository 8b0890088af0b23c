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

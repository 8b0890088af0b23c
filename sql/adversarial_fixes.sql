-- Regression tests of the findings of an adversarial pass over the whole
-- extension (0.3.0), one section each.  Every query here gave another answer (or
-- another SQLSTATE) before its fix.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
SET max_parallel_workers_per_gather = 0;
\set VERBOSITY default

\i sql/include/outcome.sql

-- 1. A binary value too short for its next part is malformed (22P03), not
-- a protocol error (08P01, "insufficient data left in message"): every
-- receive function checks the bytes left before reading.
\i sql/include/write_copy_file.sql
CREATE TABLE af_path (p milestone_path);
CREATE TABLE af_timeline (t stage_timeline);
CREATE TABLE af_stage (s journey_stage);
-- milestone_path: empty, only the flags, a partial step count
SELECT pg_temp.write_copy_file('\x', :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x01', :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x0100', :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
-- a step count past the limit with no bytes after it: malformed (22P03), not
-- a path too long (54000), which only a value holding its steps can be
SELECT pg_temp.write_copy_file('\x017fffffff', :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
-- two steps announced without times (10 bytes at least, 10 there) but the
-- first label takes them all: the second step's length is missing
SELECT pg_temp.write_copy_file('\x0000000002' || '\x00000006'::bytea || convert_to('abcdef', 'UTF8'), :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
-- one step with a time: the label fills the bytes the time needs
SELECT pg_temp.write_copy_file('\x0100000001' || '\x00000009'::bytea || convert_to('abcdefghi', 'UTF8'), :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
-- stage_timeline: empty and shorter than its count
SELECT pg_temp.write_copy_file('\x', :'copyfile');
COPY af_timeline FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x0000', :'copyfile');
COPY af_timeline FROM :'copyfile' (FORMAT binary);
-- journey_stage: empty
SELECT pg_temp.write_copy_file('\x', :'copyfile');
COPY af_stage FROM :'copyfile' (FORMAT binary);
-- valid values still load
SELECT pg_temp.write_copy_file(milestone_path_send('a -> b'), :'copyfile');
COPY af_path FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x03', :'copyfile');
COPY af_stage FROM :'copyfile' (FORMAT binary);
SELECT p::text AS path, (SELECT s FROM af_stage) AS stage FROM af_path;

-- 2. session_stats: the gap and caps are the group's, a row with a NULL
-- time included (it returned a summary while window_funnel refuses the
-- same case).
SELECT session_stats(g, ts) FROM (VALUES (timestamptz '2026-01-01', interval '1 hour'),
	(NULL, interval '2 hours')) v(ts, g);
SELECT session_stats(g, ts) FROM (VALUES (NULL::timestamptz, interval '1 hour'),
	(timestamptz '2026-01-01', interval '2 hours')) v(ts, g);
SELECT session_stats(interval '1 hour', ts, m, NULL::int) FROM (VALUES (timestamptz '2026-01-01', interval '1 hour'),
	(NULL, interval '2 hours')) v(ts, m);
SELECT session_stats(interval '1 hour', ts, NULL::interval, n) FROM (VALUES (timestamptz '2026-01-01', 3),
	(NULL, 4)) v(ts, n);
-- a group without a time is still NULL, with its options checked
SELECT session_stats(interval '1 hour', ts) IS NULL AS no_time
FROM (VALUES (NULL::timestamptz), (NULL)) v(ts);
SELECT session_stats(g, ts) FROM (VALUES (NULL::timestamptz, interval '1 hour'),
	(NULL, interval '2 hours')) v(ts, g);
-- grouped, and in a parallel plan: the same rule
CREATE TABLE af_sessions (c int, ts timestamptz, g interval);
INSERT INTO af_sessions SELECT c, CASE WHEN k = 3 THEN NULL ELSE timestamptz '2026-01-01' + k * interval '10 minutes' END,
	CASE WHEN c = 7 AND k = 3 THEN interval '2 hours' ELSE interval '1 hour' END
FROM generate_series(1, 2000) c, generate_series(1, 5) k;
ANALYZE af_sessions;
SELECT pg_temp.outcome('SELECT c, session_stats(g, ts) FROM af_sessions WHERE c BETWEEN 6 AND 8 GROUP BY c');
SELECT count(*) FILTER (WHERE st IS NOT NULL) FROM (SELECT c, session_stats(g, ts) AS st FROM af_sessions WHERE c <> 7 GROUP BY c) s;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT session_stats(g, ts) FROM af_sessions WHERE c = 7 OR c > 1000;
SELECT pg_temp.outcome('SELECT session_stats(g, ts) FROM af_sessions WHERE c = 7 OR c > 1000');
DELETE FROM af_sessions WHERE c = 7;
SELECT (session_stats(g, ts)).sessions FROM af_sessions;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

-- 3. funnel_counts: a row with a NULL level is skipped after its steps is
-- checked on its own (NULL, outside 1 .. 1000); only rows with a level are
-- compared with each other, so the answer does not depend on row order.
SELECT funnel_counts(l, s) FROM (VALUES (1, 4), (NULL, 5)) v(l, s);
SELECT funnel_counts(l, s) FROM (VALUES (NULL, 5), (1, 4)) v(l, s);
SELECT funnel_counts(l, s) FROM (VALUES (1, 4), (NULL, 0)) v(l, s);
SELECT funnel_counts(l, s) FROM (VALUES (1, 4), (2, 5)) v(l, s);

-- 4. A domain over boolean is a boolean condition (it was refused, 42804).
CREATE DOMAIN af_flag AS bool;
CREATE TABLE af_events (ts timestamptz, e text);
INSERT INTO af_events VALUES ('2026-01-01 00:00', 'a'), ('2026-01-01 00:01', 'b'),
	('2026-01-01 00:02', 'c');
SELECT window_funnel(interval '1 hour', ts, (e = 'a')::af_flag, (e = 'b')::af_flag, e = 'c') FROM af_events;
SELECT retention((e = 'a')::af_flag, (e = 'c')::af_flag, (e = 'x')::af_flag) FROM af_events;
SELECT sequence_match('(?1).*(?2)', ts, (e = 'a')::af_flag, (e = 'c')::af_flag) FROM af_events;
-- other types are still refused
SELECT window_funnel(interval '1 hour', ts, e = 'a', 1) FROM af_events;

-- 5. The counting aggregates' support functions refuse a count past bigint
-- (22003) instead of wrapping around; only a state given by hand holds one.
SELECT counts_array_add('{9223372036854775807,2}', '{1,1}');
SELECT retention_counts_transfn('{9223372036854775807,2}', '{t,f}');
SELECT funnel_counts_transfn('{9223372036854775807,0}', 1, 2);
SELECT counts_array_add('{9223372036854775806,2}', '{1,1}');

-- 6. retention_finalfn called by hand with more conditions than retention
-- takes: the aggregate's own error (54000), not an internal one.
SELECT 'SELECT retention_finalfn(1' || repeat(', true', 64) || ')' \gexec
SELECT retention_finalfn(3, true, true);

-- 7. p @> q over paths of many labels takes time linear in them (a hash of
-- p's labels), not their product, and checks for interrupts: 20,000 labels
-- each took 0.2 s before, 200,000 labels 14 s, past statement_timeout.
CREATE TABLE af_big AS
SELECT milestone_path_agg('label-' || k, timestamptz '2026-01-01' + k * interval '1 second') AS p
FROM generate_series(1, 20000) k;
SELECT p @> labels_only(p) AS whole,
       p @> 'label-5 -> label-19999' AS two_in_order,
       p @> 'label-19999 -> label-5' AS two_reversed,
       p @> ('label-0 -> ' || (SELECT string_agg('label-' || k, ' -> ' ORDER BY k) FROM generate_series(1, 100) k))::milestone_path AS lacks_one,
       labels_only(p) <@ p AS commuted
FROM af_big;
-- few labels still go the direct way, with the same answers
SELECT 'a -> b -> c -> a'::milestone_path @> 'b -> a', 'a -> b -> c'::milestone_path @> 'c -> b';

-- 8. time_between over a span past an interval's range: 22008, not the
-- wrapped interval PostgreSQL 15's subtraction gives.
SELECT time_between('a@4713-11-24 00:00+00 BC -> b@294276-12-31 23:59:59+00', 'a', 'b');
SELECT time_between('a@2000-01-01 00:00+00 -> b@2000-01-02 00:00+00', 'a', 'b');

-- 9. A quoted interval in (?t op D) may also be written as PostgreSQL
-- writes an interval's time, hh:mm[:ss[.ffffff]], alone or after unit
-- parts (issue 16: "a quoted interval literal"); it was refused.
CREATE TABLE af_seq (ts timestamptz, e text);
INSERT INTO af_seq VALUES ('2026-01-01 00:00', 'a'), ('2026-01-01 01:30', 'b'), ('2026-01-02 01:30:01.5', 'c');
SELECT d, sequence_match('(?1)(?t<=' || d || ')(?2)', ts, e = 'a', e = 'b') AS within,
       sequence_match('(?1)(?t<' || d || ')(?2)', ts, e = 'a', e = 'b') AS strictly
FROM af_seq, (VALUES ($$'01:30'$$), ($$'01:30:00'$$), ($$'1:29:59.999999'$$), ($$'1 hour 30 minutes'$$), ($$5400$$)) v(d)
GROUP BY d ORDER BY d;
SELECT sequence_match($$(?1)(?t==' 1 day 01:30:01.5 ')(?2)$$, ts, e = 'a', e = 'c') AS exact_day_and_clock FROM af_seq;
SELECT sequence_match($$(?1)(?t<='00:61')(?2)$$, ts, e = 'a', e = 'b') FROM af_seq;
SELECT sequence_match($$(?1)(?t<='01:30:60')(?2)$$, ts, e = 'a', e = 'b') FROM af_seq;
SELECT sequence_match($$(?1)(?t<='1.5:00')(?2)$$, ts, e = 'a', e = 'b') FROM af_seq;
SELECT sequence_match($$(?1)(?t<='01:')(?2)$$, ts, e = 'a', e = 'b') FROM af_seq;
SELECT sequence_match($$(?1)(?t<='00:00:00.0000005')(?2)$$, ts, e = 'a', e = 'b') FROM af_seq;
-- what PostgreSQL would read another way is refused, never read differently:
-- a number without a unit beside other parts ('1 02:00:00' is a day and two
-- hours to PostgreSQL), decimals in the minutes ('01:30.0' is mm:ss to it),
-- a part run into the next, hours or minutes given twice
SELECT d, pg_temp.outcome(format($q$SELECT sequence_match(%L, ts, e = 'a', e = 'b') FROM af_seq$q$,
	'(?1)(?t<=' || d || ')(?2)')) AS outcome
FROM (VALUES ($$'1 02:00:00'$$), ($$'5 1 hour'$$), ($$'01:30.0'$$), ($$'1.0:30'$$), ($$'01:30:00.5.5'$$),
	($$'1.5.5'$$), ($$'01:00 02:00'$$), ($$'1 hour 01:00'$$), ($$'01:00 30 minutes'$$), ($$'90'$$),
	($$'1 day 02:00'$$), ($$'02:00 1 day'$$), ($$'00:01:30.5'$$)) v(d);
-- each unit at most once, as PostgreSQL reads an interval ('1 day 1 day' was
-- summed); a fraction of a second takes the milliseconds and microseconds too
SELECT d, pg_temp.outcome(format('SELECT %s::interval', d)) AS postgresql,
       pg_temp.outcome(format($q$SELECT sequence_match(%L, ts, e = 'a', e = 'b') FROM af_seq$q$,
	'(?1)(?t<=' || d || ')(?2)')) AS sequence_match
FROM (VALUES ($$'1 day 1 day'$$), ($$'1 hour 1 hours'$$), ($$'1 weeks 1 w'$$), ($$'1.5 s 1 ms'$$),
	($$'1 us 1.5 s'$$), ($$'1 week 1 day'$$), ($$'1 s 1.5 ms'$$), ($$'1.5 ms 1 us'$$),
	($$'1.5 minutes 30 seconds'$$)) v(d);
-- t, t: a to c is 1 day 01:30:01.5
SELECT sequence_match($$(?1)(?t==' 1 day 1 hour 30 minutes 1 s 500 ms')(?2)$$, ts, e = 'a', e = 'c') AS by_units,
       sequence_match($$(?1)(?t=='1 day 1 hour 29.5 minutes 31.5 s')(?2)$$, ts, e = 'a', e = 'c') AS with_fractions
FROM af_seq;

-- Infinite times are infinitely far from every finite time and 0 from
-- themselves, in funnels and sequence patterns as in sessions: a window or a
-- time condition never reaches from a finite time to an infinite one.  The
-- unsigned difference used to put +infinity about 8 days after 294276-12-31
-- and -infinity within 106751991 days of 4714 BC.
CREATE TEMP TABLE af_inf (ts timestamptz, k text);
INSERT INTO af_inf VALUES ('294276-12-31 00:00+00', 'a'), ('infinity', 'b');
-- 1, {294276-12-31}, 1, f, t, f, 2
SELECT window_funnel('10 days', ts, k, '{a,b}') AS level,
       window_funnel_times('10 days', ts, k, '{a,b}') AS times,
       (funnel('10 days', ts, k, '{a,b}', 'any_order')).reached AS any_order_reached,
       sequence_match('(?1)(?t<=''10 days'')(?2)', ts, k, '{a,b}') AS within_10_days,
       sequence_match('(?1)(?t>''10 days'')(?2)', ts, k, '{a,b}') AS after_10_days,
       sequence_match('(?w<=''10 days'')(?1).*(?2)', ts, k, '{a,b}') AS window_10_days,
       (session_stats('10 days', ts)).sessions AS sessions
FROM af_inf;
-- NULL (the funnel stops at step 1), not 22008
SELECT time_to_convert('10 days', ts, k, '{a,b}') FROM af_inf;
-- the excluded event at +infinity lies after the window of the step at 294276: f
SELECT (funnel('10 days', ts, k, '{a,c}', 'exclude b between 1 and 2')).excluded FROM af_inf;
-- -infinity is not within any window of 4714 BC: 1
SELECT window_funnel('106751991 days', ts, k, '{a,b}')
FROM (VALUES ('-infinity'::timestamptz, 'a'), ('4714-11-24 00:00:00+00 BC', 'b')) v(ts, k);
-- two events at the same infinity are 0 apart: 2, t, f (ties: (?t>0) fails)
SELECT window_funnel('1 second', ts, k, '{a,b}') AS level,
       sequence_match('(?1)(?t<=1)(?2)', ts, k, '{a,b}') AS within_1s,
       sequence_match('(?1)(?t>0)(?2)', ts, k, '{a,b}') AS after_0s
FROM (VALUES ('infinity'::timestamptz, 'a'), ('infinity', 'b')) v(ts, k);

-- A window within range is accepted even when its days alone are not: the
-- days and the rest are added with one sign.  1, then 22023 for the days alone.
SELECT window_funnel('106751992 days -100000000 seconds', ts, k, '{a,b}') FROM af_inf;
SELECT window_funnel('106751992 days', ts, k, '{a,b}') FROM af_inf;
-- the largest window, exactly 2^63 - 1 microseconds: 1
SELECT window_funnel('106751991 days 04:00:54.775807', ts, k, '{a,b}') FROM af_inf;
-- a mix of signs that is negative in total: 22023 (must be zero or more)
SELECT window_funnel('-1 days 23:59:59', ts, k, '{a,b}') FROM af_inf;

-- stage_timeline: the aggregate, its type and its accessors
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE changes (customer text, stage journey_stage, at timestamptz);
-- customer a, rows deliberately out of time order:
--   wooing 01-01, selling 01-11, wooing 01-15 06:00 (a regression),
--   selling 01-20 12:00, selling 01-25 (a repeat: merges), honeymoon 02-01
INSERT INTO changes VALUES
	('a', 'selling',   '2026-01-25 00:00'),
	('a', 'honeymoon', '2026-02-01 00:00'),
	('a', 'wooing',    '2026-01-15 06:00'),
	('a', 'wooing',    '2026-01-01 00:00'),
	('a', 'selling',   '2026-01-20 12:00'),
	('a', 'buying',    '2026-01-11 00:00'),
	('a', NULL,        '2026-01-12 00:00'),
	('a', 'bonding',   NULL);
-- customer b: three changes at the same instant; the furthest is kept
INSERT INTO changes VALUES
	('b', 'wooing',     '2026-01-01 00:00'),
	('b', 'selling',    '2026-01-05 00:00'),
	('b', 'honeymoon',  '2026-01-05 00:00'),
	('b', 'wooing',     '2026-01-05 00:00'),
	('b', 'leadership', '2026-01-10 00:00'),
	('b', 'wooing',     '2026-01-10 00:00');
-- customer c: one row; customer d: only NULL rows
INSERT INTO changes VALUES ('c', 'bonding', '2026-03-01 00:00'),
	('d', NULL, '2026-01-01'), ('d', 'wooing', NULL);

CREATE TABLE timelines AS
	SELECT customer, stage_timeline(stage, at) AS t FROM changes GROUP BY customer;
SELECT customer, t FROM timelines ORDER BY customer;
SELECT customer, current_stage(t), furthest_stage(t), regressions(t), stage_changes(t)
FROM timelines ORDER BY customer;
-- time in stage for customer a up to 2026-03-01:
--   wooing    10 days + 5 days 6 h     = 15 days 06:00
--   selling   4 days 6 h + 11 days 12 h = 15 days 18:00
--   honeymoon 02-01 .. 03-01           = 28 days
SELECT s.stage, time_in_stage(t, s.stage, '2026-03-01') AS up_to_march
FROM timelines, journey_stages() s WHERE customer = 'a' ORDER BY s.stage;
-- cut at "until": up to 01-13 only 2 days of selling; nothing before the start
SELECT time_in_stage(t, 'selling', '2026-01-13') AS two_days,
       time_in_stage(t, 'selling', '2025-12-01') AS nothing_yet,
       time_in_stage(t, 'honeymoon', '2026-01-25') AS not_entered_yet,
       time_in_stage(t, 'wooing', '2026-01-11') AS exactly_ten_days
FROM timelines WHERE customer = 'a';
-- the stage in force at a moment: a segment starts at its change, inclusive
SELECT stage_at(t, '2025-12-31') IS NULL AS before_first,
       stage_at(t, '2026-01-01'), stage_at(t, '2026-01-10 23:59:59'),
       stage_at(t, '2026-01-11'), stage_at(t, '2026-01-16'), stage_at(t, '2030-01-01')
FROM timelines WHERE customer = 'a';
SELECT entered_at(t, 'wooing') AS wooing, entered_at(t, 'selling') AS selling,
       entered_at(t, 'bonding') IS NULL AS never_bonded
FROM timelines WHERE customer = 'a';
-- customer b: ties keep the furthest stage, so no regression is invented
SELECT time_in_stage(t, 'selling', '2026-02-01') AS selling_never_counted,
       time_in_stage(t, 'honeymoon', '2026-02-01') AS honeymoon_5_days,
       time_in_stage(t, 'leadership', '2026-02-01') AS leadership_22_days
FROM timelines WHERE customer = 'b';
-- an "until" at infinity is refused
SELECT time_in_stage(t, 'wooing', 'infinity') FROM timelines WHERE customer = 'a';
-- no group, no rows: NULL
SELECT stage_timeline(stage, at) IS NULL AS empty FROM changes WHERE false;
-- infinite change times are refused
SELECT stage_timeline('wooing', 'infinity');
SELECT stage_timeline('wooing', '-infinity');
-- the same answer whatever the input order
SELECT count(DISTINCT t::text) AS distinct_answers FROM (
	SELECT stage_timeline(stage, at ORDER BY at) AS t FROM changes WHERE customer = 'a'
	UNION ALL SELECT stage_timeline(stage, at ORDER BY at DESC) FROM changes WHERE customer = 'a'
	UNION ALL SELECT stage_timeline(stage, at ORDER BY stage, at) FROM changes WHERE customer = 'a'
	UNION ALL SELECT stage_timeline(stage, at ORDER BY stage DESC, at DESC) FROM changes WHERE customer = 'a'
) x;

-- text form: round trip, canonicalised (any order in, sorted and merged out)
SELECT t::text::stage_timeline::text = t::text AS round_trips FROM timelines WHERE t IS NOT NULL;
SELECT 'selling@2026-01-05 -> Wooing@2026-01-01->selling @2026-01-09'::stage_timeline;
SELECT regressions('leadership@2026-01-01 -> wooing@2026-01-02'::stage_timeline);
-- bad text: 22P02 naming the place and what was expected
SELECT 'wooing'::stage_timeline;
SELECT 'wooed@2026-01-01'::stage_timeline;
SELECT 'wooing@2026-01-01 -> '::stage_timeline;
SELECT ''::stage_timeline;
SELECT 'wooing@not a time'::stage_timeline;
SELECT 'wooing@infinity'::stage_timeline;

-- binary: COPY BINARY round trip, through a file in the data directory
\i sql/include/write_copy_file.sql
COPY timelines TO :'copyfile' (FORMAT binary);
CREATE TABLE timelines2 (LIKE timelines);
COPY timelines2 FROM :'copyfile' (FORMAT binary);
SELECT customer, t FROM timelines2 ORDER BY customer;
-- receive rejects out-of-order segments, repeated stages and short data
CREATE TABLE tl_one (t stage_timeline);
-- two segments: wooing at 10, selling at 5 (out of order)
SELECT pg_temp.write_copy_file('\x00000002' || int8send(10) || '\x01' || int8send(5) || '\x02', :'copyfile');
COPY tl_one FROM :'copyfile' (FORMAT binary);
-- the same stage twice in a row
SELECT pg_temp.write_copy_file('\x00000002' || int8send(5) || '\x01' || int8send(10) || '\x01', :'copyfile');
COPY tl_one FROM :'copyfile' (FORMAT binary);
-- a count that does not match the bytes
SELECT pg_temp.write_copy_file('\x00000003' || int8send(5) || '\x01', :'copyfile');
COPY tl_one FROM :'copyfile' (FORMAT binary);
-- stage byte 9
SELECT pg_temp.write_copy_file('\x00000001' || int8send(5) || '\x09', :'copyfile');
COPY tl_one FROM :'copyfile' (FORMAT binary);
-- a good one
SELECT pg_temp.write_copy_file('\x00000002' || int8send(5) || '\x01' || int8send(10) || '\x05', :'copyfile');
COPY tl_one FROM :'copyfile' (FORMAT binary);
SELECT t FROM tl_one;

-- parallel plan: partial aggregates combined give the serial answer
CREATE TABLE many_changes AS
	SELECT c AS customer, ((c * 31 + i * 17) % 5 + 1)::journey_stage AS stage,
		   timestamptz '2026-01-01' + ((i * 7919 + c * 104729) % 100000) * interval '1 minute' AS at
	FROM generate_series(1, 500) c, generate_series(1, 400) i;
ANALYZE many_changes;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_answer AS
	SELECT customer, stage_timeline(stage, at)::text AS t FROM many_changes GROUP BY customer;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
	SELECT customer, stage_timeline(stage, at) FROM many_changes GROUP BY customer;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE p.t = s.t) AS same_as_serial
FROM (SELECT customer, stage_timeline(stage, at)::text AS t FROM many_changes GROUP BY customer) p
JOIN serial_answer s USING (customer);
-- one group over all rows, in parallel
EXPLAIN (COSTS OFF) SELECT stage_timeline(stage, at) FROM many_changes;
SELECT (SELECT stage_timeline(stage, at)::text FROM many_changes) =
       (SELECT stage_timeline(stage, at ORDER BY at)::text FROM many_changes) AS parallel_equals_serial;
RESET ALL;
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
DROP TABLE changes, timelines, timelines2, tl_one, many_changes, serial_answer;

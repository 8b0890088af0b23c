-- Defects of 0.2.0 in stage timelines and milestone paths, each with its
-- hand-computed answer (every check here failed on 0.2.0).
SET timezone = 'UTC'; SET intervalstyle = 'postgres';

-- 1. milestone_path(json) rejecting a path at its last element: the error
--    names that element, and the next call reads a good path as usual.  (Its
--    leak of json-c's tree is measured in test/t_memory.sh.)
SELECT milestone_path((left(json_agg(json_build_object('label', 'm' || i,
		'at', timestamptz '2026-01-01 00:00+00' + i * interval '1 minute') ORDER BY i)::text, -1)
	|| ', {"label": "late", "at": "2025-01-01T00:00:00+00:00"}]')::json)
FROM generate_series(1, 1999) i;
SELECT length(milestone_path(json_agg(json_build_object('label', 'm' || i % 7,
		'at', timestamptz '2026-01-01 00:00+00' + i * interval '1 minute') ORDER BY i)))
FROM generate_series(1, 2000) i;
SELECT milestone_path('[{"label": "a", "at": "2024-01-05T10:00:00+00:00"}, {"label": 3}]'::json);

-- 2. Binary input refuses times outside PostgreSQL's timestamp range with
--    22P03 (0.2.0 took INT64_MAX - 1, a value that then could not be
--    written as text).  One segment: count 1, int8 time, stage byte 1.
\i sql/include/write_copy_file.sql
CREATE TABLE timeline_one (t stage_timeline);
-- INT64_MAX - 1
SELECT pg_temp.write_copy_file('\x000000017ffffffffffffffe01', :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
\set VERBOSITY sqlstate
COPY timeline_one FROM :'copyfile' (FORMAT binary);
-- END_TIMESTAMP (294277-01-01 00:00 UTC) is out, one microsecond before it is in
SELECT pg_temp.write_copy_file('\x000000017fffff5bb3b2a00001', :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x000000017fffff5bb3b29fff01', :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
-- MIN_TIMESTAMP (4714-11-24 00:00 UTC BC) is in, one microsecond before it is out
SELECT pg_temp.write_copy_file('\x00000001fd0f7cc1411fa00001', :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x00000001fd0f7cc1411f9fff01', :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
-- a bad second segment after a good first one
SELECT pg_temp.write_copy_file('\x00000002000000000000000001' || '\x7ffffffffffffffe02'::bytea, :'copyfile');
COPY timeline_one FROM :'copyfile' (FORMAT binary);
\set VERBOSITY default
-- the two accepted values, and they read back from their text
SELECT t, t::text::stage_timeline::text = t::text AS text_round_trips FROM timeline_one ORDER BY stage_at(t, 'infinity') , t::text;
DROP TABLE timeline_one;

-- 3. Text output is ISO 8601 whatever DateStyle says, in the session's time
--    zone, so a dump taken under one DateStyle restores under another.
CREATE TABLE timeline_style (t stage_timeline);
INSERT INTO timeline_style VALUES ('wooing@2024-01-05 10:00:00+00 -> selling@2024-02-03 04:05:06.5+00');
SET DateStyle = 'SQL, DMY';
SELECT t::text AS written_dmy FROM timeline_style \gset
SELECT :'written_dmy' AS written_under_sql_dmy;
SET DateStyle = 'ISO, MDY';
SELECT t::text AS written_mdy FROM timeline_style \gset
SELECT :'written_mdy' = :'written_dmy' AS same_text_under_both;
-- written under SQL, DMY, read under ISO, MDY: the same value
SELECT stage_timeline_send(:'written_dmy'::stage_timeline) = stage_timeline_send(t) AS dmy_reads_back_under_mdy FROM timeline_style;
-- and the other way round
SET DateStyle = 'SQL, DMY';
SELECT stage_timeline_send(:'written_mdy'::stage_timeline) = stage_timeline_send(t) AS mdy_reads_back_under_dmy FROM timeline_style;
-- what 0.2.0 wrote under the default DateStyle still reads, under any DateStyle
SELECT 'wooing@2024-01-05 10:00:00+00 -> selling@2024-02-03 04:05:06.5+00'::stage_timeline::text;
SET DateStyle = 'Postgres, MDY';
SELECT t FROM timeline_style;
-- the session's time zone, as before
SET timezone = 'America/New_York';
SELECT t FROM timeline_style;
SELECT stage_timeline_send(t::text::stage_timeline) = stage_timeline_send(t) AS reads_back FROM timeline_style;
SET timezone = 'UTC';
RESET DateStyle;
DROP TABLE timeline_style;

-- 4. Declared state sizes: the fixed state of one group (see path_agg.c and
--    stage_timeline.c), the same for every name of each aggregate.
SELECT DISTINCT aggtransspace AS milestone_path_agg_sspace FROM pg_aggregate
WHERE aggtransfn = 'milestone_path_agg_transfn(internal, text, timestamptz)'::regprocedure;
SELECT DISTINCT aggtransspace AS stage_timeline_sspace FROM pg_aggregate
WHERE aggtransfn = 'stage_timeline_transfn(internal, journey_stage, timestamptz)'::regprocedure;
-- the serialized states (now written at their exact size) combine to the
-- serial answer: 3 customers, 1,000 rows each, from parallel workers
CREATE TABLE path_rows AS
SELECT i % 3 AS customer, 'm' || (i * 7) % 5 AS label,
	   (1 + i % 5)::int4::journey_stage AS stage,
	   timestamptz '2026-01-01 00:00+00' + (i * 37 % 1000) * interval '1 minute' AS at
FROM generate_series(1, 3000) i;
CREATE TEMP TABLE serial_answer AS
SELECT customer, milestone_path_agg(label, at)::text AS path, stage_timeline(stage, at)::text AS timeline
FROM path_rows GROUP BY customer;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer, milestone_path_agg(label, at), stage_timeline(stage, at) FROM path_rows GROUP BY customer;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE p.path = s.path AND p.timeline = s.timeline) AS same_as_serial,
	   min(length(p.path::milestone_path)) AS min_steps
FROM (SELECT customer, milestone_path_agg(label, at)::text AS path, stage_timeline(stage, at)::text AS timeline
	  FROM path_rows GROUP BY customer) p JOIN serial_answer s USING (customer);
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
DROP TABLE path_rows;

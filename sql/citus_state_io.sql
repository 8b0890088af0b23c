-- Cross-customer aggregates under Citus: Citus combines an aggregate across
-- workers only when it has a combine function and a state type that is not
-- internal, and it ships the partial state from a worker to the coordinator
-- as the state type's text output, read back by its text input on the
-- coordinator, each under that node's own DateStyle, IntervalStyle and
-- TimeZone (Citus does not align them).  So the text of every such state
-- must read back to the same state whatever those settings are on either
-- side.  This file runs without Citus: it does by hand what Citus does.
SET client_min_messages = warning;
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
SET TimeZone = 'UTC';

-- Every aggregate of cx_journey whose state is not internal, with its
-- combine function.  A new one changes this list: give it a round trip
-- below (CONTRIBUTING.md, "Cross-customer aggregates").
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtranstype::regtype AS state,
       a.aggcombinefn AS combine
FROM pg_aggregate a
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cx_journey'
WHERE a.aggtranstype <> 'internal'::regtype
ORDER BY a.aggfnoid::regprocedure::text;

-- and every aggregate of cx_journey has a combine function
SELECT count(*) AS aggregates_without_combine
FROM pg_aggregate a
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cx_journey'
WHERE a.aggcombinefn = 0;

-- 1000 customers in two "workers" (c <= 500 and c > 500).  Levels are
-- c mod 6 (0 .. 5), so for c = 1 .. 500 the residues 1 and 2 occur 84 times
-- and 0, 3, 4, 5 83 times: funnel_counts(level, 5) = {417,333,249,166,83};
-- for c = 501 .. 1000 the residues 3 and 4 occur 84 times (1000 = 4 mod 6)
-- and the others 83 times: {417,334,251,167,83}; all 1000: {834,667,500,333,166}.
-- Retention arrays {even, multiple of 3, multiple of 5}: {250,166,100} and
-- {250,167,100}.  Stages (c / 100) mod 4 + 1 in the first half (wooing to
-- bonding) and + 2 in the second (selling to leadership).  retention's state is a bit mask (bit i - 1 set when
-- condition i held on some row), made here by its transition function: the
-- first half saw condition 1 (state 1), the second condition 3 (state 4);
-- combined with int8or, 5, which retention reads as {t,f,t}.
CREATE TABLE citus_io_customers AS
SELECT c, c % 6 AS level, ARRAY[c % 2 = 0, c % 3 = 0, c % 5 = 0] AS r,
       ((c / 100) % 4 + CASE WHEN c > 500 THEN 2 ELSE 1 END)::journey_stage AS stage
FROM generate_series(1, 1000) c;

CREATE TABLE citus_io_parts AS
SELECT c > 500 AS part, funnel_counts(level, 5) AS counts, retention_counts(r) AS rcounts,
       min(stage) AS lo, max(stage) AS hi,
       CASE WHEN c > 500 THEN retention_transfn(0, false, false, true)
            ELSE retention_transfn(0, true, false, false) END AS bits
FROM citus_io_customers GROUP BY 1;
SELECT * FROM citus_io_parts ORDER BY part;

-- The texts each "worker" writes under four different settings.
CREATE TABLE citus_io_texts (setting text, part bool, counts text, rcounts text, lo text, hi text, bits text);
SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';
INSERT INTO citus_io_texts SELECT 'iso', part, counts::text, rcounts::text, lo::text, hi::text, bits::text FROM citus_io_parts;
SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET TimeZone = 'America/St_Johns';
INSERT INTO citus_io_texts SELECT 'sql', part, counts::text, rcounts::text, lo::text, hi::text, bits::text FROM citus_io_parts;
SET DateStyle = 'German'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'Asia/Kathmandu';
INSERT INTO citus_io_texts SELECT 'german', part, counts::text, rcounts::text, lo::text, hi::text, bits::text FROM citus_io_parts;
SET DateStyle = 'Postgres, YMD'; SET IntervalStyle = 'postgres_verbose'; SET TimeZone = 'Pacific/Chatham';
INSERT INTO citus_io_texts SELECT 'postgres', part, counts::text, rcounts::text, lo::text, hi::text, bits::text FROM citus_io_parts;

-- One text per state, whatever the settings: 2 distinct texts of each kind
-- (one per part) among the 8 rows.
SELECT count(*) AS texts, count(DISTINCT counts) AS counts, count(DISTINCT rcounts) AS rcounts,
       count(DISTINCT lo) AS lo, count(DISTINCT hi) AS hi, count(DISTINCT bits) AS bits
FROM citus_io_texts;

-- Read back under each setting ("coordinators" configured unlike the
-- "workers"), every text gives the state it came from, and combining the
-- two parts read back gives the answer over all customers.
SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET TimeZone = 'America/St_Johns';
SELECT count(*) AS compared,
       bool_and(t.counts::bigint[] = p.counts AND t.rcounts::bigint[] = p.rcounts
                AND t.lo::journey_stage = p.lo AND t.hi::journey_stage = p.hi
                AND t.bits::int8 = p.bits) AS same_states
FROM citus_io_texts t JOIN citus_io_parts p USING (part);
SELECT counts_array_add(a.counts::bigint[], b.counts::bigint[]) AS counts,
       counts_array_add(a.rcounts::bigint[], b.rcounts::bigint[]) AS rcounts,
       journey_stage_smaller(a.lo::journey_stage, b.lo::journey_stage) AS lo,
       journey_stage_larger(a.hi::journey_stage, b.hi::journey_stage) AS hi,
       retention_finalfn(int8or(a.bits::int8, b.bits::int8), true, true, true) AS retention
FROM citus_io_texts a, citus_io_texts b
WHERE a.setting = 'german' AND NOT a.part AND b.setting = 'iso' AND b.part;
SET DateStyle = 'German'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'Asia/Kathmandu';
SELECT count(*) AS compared,
       bool_and(t.counts::bigint[] = p.counts AND t.rcounts::bigint[] = p.rcounts
                AND t.lo::journey_stage = p.lo AND t.hi::journey_stage = p.hi
                AND t.bits::int8 = p.bits) AS same_states
FROM citus_io_texts t JOIN citus_io_parts p USING (part);
SELECT counts_array_add(a.counts::bigint[], b.counts::bigint[]) AS counts,
       counts_array_add(a.rcounts::bigint[], b.rcounts::bigint[]) AS rcounts
FROM citus_io_texts a, citus_io_texts b
WHERE a.setting = 'postgres' AND NOT a.part AND b.setting = 'sql' AND b.part;

-- The combined answers are the aggregates over all rows.
SELECT funnel_counts(level, 5) AS counts, retention_counts(r) AS rcounts FROM citus_io_customers;

-- A state text that is not a state: the combine function refuses arrays of
-- different lengths (a state from another step count) rather than add them.
SELECT counts_array_add('{1,2,3}'::text::bigint[], '{1,2}'::text::bigint[]);

DROP TABLE citus_io_customers, citus_io_parts, citus_io_texts;

-- journey_model_agg (issue 17): its state is the journey_model; two "workers"
-- write their partial models as text under different settings (the cut-off
-- is a time), the "coordinator" reads them back under a third and combines
-- them with journey_model_merge: the model of all the paths.
SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';
CREATE TABLE citus_io_paths AS
SELECT c, milestone_path_agg((ARRAY['visit', 'cart', 'buy'])[1 + (c * i) % 3],
                             timestamptz '2026-01-01' + (c % 50) * interval '1 day' + i * interval '1 hour') AS p
FROM generate_series(1, 200) c, generate_series(1, 1 + c % 4) i GROUP BY c;
SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET TimeZone = 'America/St_Johns';
CREATE TABLE citus_io_models AS
SELECT c > 100 AS part, journey_model_agg(p, 2, '2026-02-01 12:00:00+00')::text AS m FROM citus_io_paths GROUP BY 1;
SET DateStyle = 'German'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'Asia/Kathmandu';
SELECT journey_model_merge(a.m::journey_model, b.m::journey_model)::text
       = (SELECT journey_model_agg(p, 2, '2026-02-01 12:00:00+00') FROM citus_io_paths)::text AS journey_model_same,
       a.m = a.m::journey_model::text AND b.m = b.m::journey_model::text AS texts_read_back
FROM citus_io_models a, citus_io_models b WHERE NOT a.part AND b.part;
DROP TABLE citus_io_paths, citus_io_models;
